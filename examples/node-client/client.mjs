// A small Fidelis client for front-end and integration developers to copy: it gets tokens,
// sends the example documents in ../graphql (queries and mutations over HTTP), and follows a
// member's balance over graphql-ws. Against a development Fidelis it plays one customer's day:
// sign-up in the app, a purchase at the till, the balance moving live, a partial return.
//
//   FIDELIS_URL=http://localhost:8080 node client.mjs
//
// In production, get tokens from your identity provider instead of /dev-issuer/token.
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = (process.env.FIDELIS_URL || 'http://localhost:8080').replace(/\/+$/, '');
const documents = new URL('../graphql/', import.meta.url);

/** A token from the development issuer, as the README's curl lines get them. */
async function token(form) {
  const response = await fetch(`${base}/dev-issuer/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/plain' },
    body: new URLSearchParams(form),
  });
  if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
  return (await response.text()).trim();
}

/** One GraphQL request over HTTP; errors carry Fidelis' stable extensions.code. */
async function graphql(accessToken, query, variables = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors?.length) {
    const e = body.errors[0];
    throw new Error(`${e.extensions?.code ?? 'ERROR'}: ${e.message}`);
  }
  return body.data;
}

const doc = (path) => readFile(new URL(path, documents), 'utf8');

/**
 * The member's balance, live. `started` resolves with the balance now (the subscription's first
 * answer), `done` with every balance seen once one satisfies `until`.
 */
function followBalance(accessToken, memberId, until) {
  const client = createClient({
    url: base.replace(/^http/, 'ws') + '/graphql-ws',
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${accessToken}` },
  });
  const seen = [];
  let begin;
  let fail;
  const started = new Promise((resolve, reject) => { begin = resolve; fail = reject; });
  const done = (async () => {
    const query = await doc('app/MyBalance.graphql');
    const subscription = client.iterate({ query, variables: { memberId } });
    for await (const result of subscription) {
      if (result.errors) throw new Error(result.errors[0].message);
      seen.push(result.data.pointsAccount);
      begin(result.data.pointsAccount);
      if (until(result.data.pointsAccount)) {
        await subscription.return?.();
        break;
      }
    }
    await client.dispose();
    return seen;
  })();
  done.catch(fail); // a subscription refused before its first answer fails `started` too
  return { started, done };
}

async function main() {
  const program = process.env.FIDELIS_PROGRAM || `demo-${randomUUID().slice(0, 8)}`;
  const staff = await token({ caller: 'staff', roles: 'admin' });
  const till = await token({ caller: 'pos' });
  const subject = `customer-${randomUUID().slice(0, 8)}`;
  const app = await token({ caller: 'member', subject });

  // Staff set the program up once: a program, a store, and fuel earning per litre.
  await graphql(staff, `mutation($id: ID!) { defineProgram(input: {id: $id, name: "Demo Rewards", currencies: ["EUR"],
      regions: ["FR"], timeZone: "Europe/Paris"}) { program { id } } }`, { id: program });
  await graphql(staff, `mutation($p: ID!) { defineStore(input: {programId: $p, storeId: "paris-01", name: "Paris",
      region: "FR"}) { store { storeId } } }`, { p: program });
  await graphql(staff, `mutation($p: ID!) { setCategoryRates(input: {programId: $p, rates: [{category: "fuel",
      basis: QUANTITY, points: "2"}]}) { rates { category } } }`, { p: program });

  // The app: the customer signs up and opens their account.
  const enrolled = await graphql(app, await doc('app/EnrollMe.graphql'), {
    programId: program, email: `${subject}@example.com`, name: 'Camille Martin', idempotencyKey: randomUUID(),
  });
  const member = enrolled.enrollMember.member;

  // Follow the balance live while the till records a purchase.
  const live = followBalance(app, member.id, (account) => account.available >= 74);
  await live.started; // the balance now: the subscription is live before the purchase

  // The till: scan the card, record the receipt.
  const found = await graphql(till, await doc('pos/LookUpCard.graphql'), { programId: program, cardNumber: member.cardNumber });
  const orderId = `R-${randomUUID().slice(0, 8)}`;
  const purchase = await graphql(till, await doc('pos/RecordPurchase.graphql'), {
    input: {
      programId: program, member: { cardNumber: member.cardNumber }, orderId, store: 'paris-01',
      channel: 'IN_STORE', region: 'FR', currency: 'EUR', total: '74.00',
      lines: [
        { sku: 'SP95', category: 'fuel', quantity: '30', unitPrice: '2.00' },
        { sku: 'COFFEE', category: 'food', quantity: '2', unitPrice: '7.00' },
      ],
    },
  });
  const balances = await live.done;

  // A partial return, then the app's home screen.
  const returned = await graphql(till, await doc('pos/RecordReturn.graphql'), {
    orderId, returnId: `${orderId}-R1`, sku: 'COFFEE', quantity: '1',
  });
  const account = await graphql(app, await doc('app/MyAccount.graphql'), { programId: program });

  console.log(JSON.stringify({
    program,
    memberId: member.id,
    foundAtTill: found.memberByIdentifier.id === member.id,
    pointsEarned: purchase.recordPurchase.pointsEarned,
    liveBalances: balances.map((b) => b.available),
    pointsReversed: returned.recordReturn.pointsReversed,
    available: account.me.points.available,
    cards: account.me.cards.length,
  }));
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
