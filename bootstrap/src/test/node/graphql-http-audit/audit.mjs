// Runs graphql-http's server audits (the GraphQL over HTTP specification's checks) against
// FIDELIS_URL and prints each result as JSON: id, name, status (ok, warn, error) and reason.
import { serverAudits } from 'graphql-http';

const url = `${process.env.FIDELIS_URL}/graphql`;
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
