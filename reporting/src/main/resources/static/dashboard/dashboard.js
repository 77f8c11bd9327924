// The staff dashboard: reads programReport through the GraphQL API with the staff token and charts it.
// Each chart's data is also written onto its canvas (data-labels, data-values) so that tests and
// curious people can see exactly what was drawn.
(function () {
  'use strict';
  const form = document.getElementById('query');
  const tokenBox = document.querySelector('textarea[name=token]');
  const charts = {};
  const params = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.slice(1));

  // a token in the fragment (#token=...) never reaches a server log; keep it for this tab only
  if (fragment.get('token')) {
    sessionStorage.setItem('fidelis-token', fragment.get('token'));
    history.replaceState(null, '', location.pathname + location.search);
  }
  tokenBox.value = sessionStorage.getItem('fidelis-token') || '';
  const today = new Date();
  const monthAgo = new Date(today.getTime() - 30 * 86400000);
  form.program.value = params.get('program') || form.program.value;
  form.from.value = params.get('from') || monthAgo.toISOString().slice(0, 10);
  form.to.value = params.get('to') || today.toISOString().slice(0, 10);
  form.groupBy.value = params.get('groupBy') || 'DAY';

  document.getElementById('dev-token').addEventListener('click', async () => {
    const answer = await fetch('/dev-issuer/token', {
      method: 'POST', headers: { 'Accept': 'text/plain', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'caller=staff&roles=analyst'
    });
    if (!answer.ok) { return fail('No development issuer here: paste a token from your OIDC issuer.'); }
    tokenBox.value = (await answer.text()).trim();
    sessionStorage.setItem('fidelis-token', tokenBox.value);
  });

  form.addEventListener('submit', (e) => { e.preventDefault(); show(); });

  // rows come a page at a time (a Relay connection); a long daily range takes several pages
  const QUERY = `query Dashboard($programId: ID!, $from: Date!, $to: Date!, $groupBy: ReportGrouping, $after: String) {
    programReport(programId: $programId, from: $from, to: $to, groupBy: $groupBy) {
      currency breakageRate
      totals { issued redeemed expired }
      rows(first: 1000, after: $after) {
        edges { node { period figures { issued redeemed enrollments activeMembers }
                       liability { points value { amount currency } } tiers { tier members } } }
        pageInfo { hasNextPage endCursor } }
    }
  }`;

  async function show() {
    document.body.dataset.state = 'loading';
    const token = tokenBox.value.trim();
    sessionStorage.setItem('fidelis-token', token);
    try {
      let report = null;
      let after = null;
      const rows = [];
      do {
        const answer = await fetch('/graphql', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token },
          body: JSON.stringify({ query: QUERY, variables: {
            programId: form.program.value.trim(), from: form.from.value, to: form.to.value, groupBy: form.groupBy.value,
            after } })
        });
        const body = await answer.json().catch(() => ({}));
        if (!answer.ok || body.errors) {
          const message = body.errors ? body.errors.map(e => e.message).join('; ') : ('HTTP ' + answer.status);
          return fail(message);
        }
        report = body.data.programReport;
        report.rows.edges.forEach(edge => rows.push(edge.node));
        after = report.rows.pageInfo.hasNextPage ? report.rows.pageInfo.endCursor : null;
      } while (after);
      render({ ...report, rows });
    } catch (e) {
      fail('Fidelis could not be reached: ' + e.message);
    }
  }

  function fail(message) {
    const box = document.getElementById('error');
    box.textContent = message;
    box.hidden = false;
    document.body.dataset.state = 'error';
  }

  function render(report) {
    document.getElementById('error').hidden = true;
    const rows = report.rows;
    const labels = rows.map(r => r.period);
    const last = rows[rows.length - 1];
    text('kpi-issued', report.totals.issued);
    text('kpi-redeemed', -report.totals.redeemed);
    text('kpi-liability', last ? last.liability.points : '–');
    text('kpi-value', last && last.liability.value ? last.liability.value.amount + ' ' + last.liability.value.currency : '–');
    text('kpi-breakage', report.breakageRate == null ? '–' : (100 * report.breakageRate).toFixed(1) + ' %');

    chart('chart-points', 'bar', labels, [
      { label: 'Issued', data: rows.map(r => r.figures.issued), backgroundColor: '#2f6fdf' },
      { label: 'Redeemed', data: rows.map(r => -r.figures.redeemed), backgroundColor: '#e0892b' }]);
    chart('chart-liability', 'line', labels, [
      { label: 'Outstanding points', data: rows.map(r => r.liability.points), borderColor: '#7a3fc4' }]);
    chart('chart-members', 'line', labels, [
      { label: 'Active members', data: rows.map(r => r.figures.activeMembers), borderColor: '#1d9a6c' },
      { label: 'Enrollments', data: rows.map(r => r.figures.enrollments), borderColor: '#c43f5a' }]);
    const mix = last ? last.tiers : [];
    chart('chart-tiers', 'doughnut', mix.map(t => t.tier), [
      { label: 'Members', data: mix.map(t => t.members) }]);
    document.body.dataset.state = 'ready';
  }

  function text(id, value) {
    document.getElementById(id).textContent = String(value);
  }

  function chart(id, type, labels, datasets) {
    const canvas = document.getElementById(id);
    if (charts[id]) { charts[id].destroy(); }
    charts[id] = new Chart(canvas, { type, data: { labels, datasets }, options: { animation: false, responsive: true } });
    const drawn = charts[id].data;
    canvas.dataset.labels = JSON.stringify(drawn.labels);
    canvas.dataset.values = JSON.stringify(drawn.datasets.map(d => d.data));
  }

  if (tokenBox.value && params.get('program')) { show(); }
})();
