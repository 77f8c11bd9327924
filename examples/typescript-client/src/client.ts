// A typed Fidelis client for front-end developers to copy: GraphQL Code Generator types every
// document below from the schema (`npm run build` fails on a field that does not exist or a
// variable of the wrong type), and Apollo Client keeps a normalized cache, so the balance a
// subscription pushes shows wherever the app reads it. Against a development Fidelis it plays one
// customer's morning: sign-up in the app, the home screen, an earn at the till seen live.
//
//   npm ci && npm run build && FIDELIS_URL=http://localhost:8080 npm start
//
// In production, get tokens from your identity provider instead of /dev-issuer/token.
import { randomUUID } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { graphql } from './gql/index.js';

const base = (process.env.FIDELIS_URL || 'http://localhost:8080').replace(/\/+$/, '');

const DefineProgram = graphql(`
  mutation DefineProgram($input: DefineProgramInput!) {
    defineProgram(input: $input) { program { id name } }
  }
`);

const EnrollMe = graphql(`
  mutation EnrollMe($programId: ID!, $email: String!, $name: String!, $idempotencyKey: String!) {
    enrollMember(input: {programId: $programId, email: $email, name: $name, marketingOptIn: true,
                         termsVersion: "2026-01", idempotencyKey: $idempotencyKey}) {
      replayed
      member { id cardNumber }
    }
  }
`);

// The app's home screen. `points { id ... }`: the account is one object in the cache, whoever fetched it.
const Home = graphql(`
  query Home($programId: ID!) {
    me(programId: $programId) { id name points { id available pending } }
  }
`);

const LiveBalance = graphql(`
  subscription LiveBalance($memberId: ID!) {
    pointsAccount(memberId: $memberId) { id available pending }
  }
`);

const Earn = graphql(`
  mutation Earn($input: EarnPointsInput!) {
    earnPoints(input: $input) { replayed entry { sequence delta availableAfter } }
  }
`);

/** A token from the development issuer, as the README's curl lines get them. */
async function token(form: Record<string, string>): Promise<string> {
  const response = await fetch(`${base}/dev-issuer/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' },
    body: new URLSearchParams(form),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.text()).trim();
}

/** `promise`, or an error naming `what` after `seconds`. */
function within<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) =>
    setTimeout(() => reject(new Error(`${what} did not happen within ${seconds} s`)), seconds * 1000).unref())]);
}

/** Queries and mutations over HTTP, subscriptions over graphql-ws, one cache. */
function apollo(accessToken: string) {
  const http = new HttpLink({ uri: `${base}/graphql`, headers: { Authorization: `Bearer ${accessToken}` } });
  const ws = new GraphQLWsLink(createClient({
    url: base.replace(/^http/, 'ws') + '/graphql-ws',
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${accessToken}` },
  }));
  const link = split(({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  }, ws, http);
  return new ApolloClient({ link, cache: new InMemoryCache() });
}

async function main() {
  const program = `typed-${randomUUID().slice(0, 8)}`;
  const subject = `customer-${randomUUID().slice(0, 8)}`;
  const staff = apollo(await token({ caller: 'staff', roles: 'admin' }));
  const till = apollo(await token({ caller: 'pos' }));
  const app = apollo(await token({ caller: 'member', subject }));

  await staff.mutate({ mutation: DefineProgram, variables: { input: { id: program, name: 'Typed Rewards',
    currencies: ['EUR'], regions: ['FR'], timeZone: 'Europe/Paris' } } });
  const enrolled = await app.mutate({ mutation: EnrollMe, variables: {
    programId: program, email: `${subject}@example.com`, name: 'Camille Martin', idempotencyKey: randomUUID() } });
  const member = enrolled.data!.enrollMember.member;

  // The home screen watches the cache: it shows every balance the cache learns, however it learns it.
  const shown: number[] = [];
  let showing: () => void = () => {};
  const homeShowsTheEarn = new Promise<void>((resolve) => { showing = resolve; });
  const home = app.watchQuery({ query: Home, variables: { programId: program } }).subscribe({
    next: (result) => {
      const available = result.data?.me?.points?.available;
      if (available !== undefined && shown.at(-1) !== available) shown.push(available);
      if (available !== undefined && available >= 25) showing();
    },
  });

  // The live balance: the account now, then at every change; the earn is made once it has begun.
  const pushed: number[] = [];
  let started: () => void = () => {};
  const begun = new Promise<void>((resolve) => { started = resolve; });
  const reached = new Promise<void>((resolve, reject) => {
    app.subscribe({ query: LiveBalance, variables: { memberId: member.id } }).subscribe({
      next: (result) => {
        if (result.error) reject(result.error);
        const available = result.data?.pointsAccount.available;
        if (available === undefined) return;
        pushed.push(available);
        started();
        if (available >= 25) resolve();
      },
      error: reject,
    });
  });
  await within(begun, 20, 'the live balance');
  const earned = await till.mutate({ mutation: Earn, variables: { input: { memberId: member.id, points: 25,
    transactionId: `T-${randomUUID().slice(0, 8)}`, idempotencyKey: randomUUID(), source: { channel: 'IN_STORE' } } } });
  await within(reached, 20, 'the earn pushed to the live balance');
  await within(homeShowsTheEarn, 20, 'the earn shown on the home screen');

  // Nothing was fetched again: the subscription's PointsAccount replaced the cached one by its id.
  const cached = app.readQuery({ query: Home, variables: { programId: program } });
  home.unsubscribe();
  console.log(JSON.stringify({
    memberId: member.id,
    earned: earned.data!.earnPoints.entry.delta,
    pushed,
    shown,
    cached: cached?.me?.points?.available ?? null,
  }));
  for (const client of [staff, till, app]) client.stop();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
