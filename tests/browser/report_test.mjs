// Real-browser tests of the html report (--format html): Debian's chromium, headless,
// driven by puppeteer-core. For each sample: no console errors and no network request, one
// ladder arrow per segment of the connection (as jsonl counts them), the state labels in
// each margin are the connection's state path (jsonl), clicking an arrow shows that
// segment, the index filters narrow the table. A generated capture with more connections
// than the page draws at once checks that diagrams are drawn when a connection is opened.
// Screenshots go to --out (look at them).
//
// node report_test.mjs --tcpinspect BIN --gen-bench BIN --samples DIR --out DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (i % 2 ? acc : [...acc, [a.replace(/^--/, ''), all[i + 1]]]), []));
const BIN = args.tcpinspect;
const SAMPLES = args.samples;
const OUT = args.out || fs.mkdtempSync(path.join(os.tmpdir(), 'tcpinspect-browser-'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
fs.mkdirSync(OUT, { recursive: true });

let failures = 0;
function check(ok, what) {
  if (ok) return;
  failures++;
  console.error('FAIL: ' + what);
}

function replay(pcap, format, extra = []) {
  return execFileSync(BIN, ['replay', pcap, '--format', format, '--color', 'never', ...extra],
    { maxBuffer: 1 << 28 }).toString();
}

function jsonl(pcap) {
  const records = replay(pcap, 'jsonl').split('\n').filter((l) => l).map((l) => JSON.parse(l));
  return {
    segments: records.filter((r) => r.type === 'segment'),
    connections: records.filter((r) => r.type === 'connection'),
  };
}

async function openReport(browser, htmlFile) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    // Self-contained: the page itself is the only request.
    if (r.url() !== 'file://' + htmlFile) problems.push('network request: ' + r.url());
    r.continue();
  });
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto('file://' + htmlFile, { waitUntil: 'load' });
  return { page, problems };
}

// No text or attribute on the page may read "undefined" or "NaN" (a value the page's
// tables lack, a number that is not one), checked on what is drawn at the time of the call.
async function checkNoBadWords(page, name) {
  const bad = await page.evaluate(() => {
    const found = [];
    const words = /\b(undefined|NaN)\b/;
    for (const el of document.querySelectorAll('body *')) {
      if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE') continue;
      for (const node of el.childNodes)
        if (node.nodeType === Node.TEXT_NODE && words.test(node.textContent))
          found.push(`${el.tagName}: ${node.textContent.trim().slice(0, 80)}`);
      for (const a of el.attributes)
        if (words.test(a.value)) found.push(`${el.tagName}[${a.name}]: ${a.value.slice(0, 80)}`);
    }
    return found.slice(0, 5);
  });
  check(bad.length === 0, `${name}: the page shows ${bad.join(' | ')}`);
}

async function sampleTest(browser, name, lang = 'en') {
  const pcap = path.join(SAMPLES, name + '.pcap');
  const htmlFile = path.join(OUT, name + (lang === 'en' ? '' : '.' + lang) + '.html');
  fs.writeFileSync(htmlFile, replay(pcap, 'html', ['--lang', lang]));
  const expected = jsonl(pcap);
  const { page, problems } = await openReport(browser, htmlFile);
  for (const conn of expected.connections) {
    const id = conn.conn;
    const segs = expected.segments.filter((s) => s.conn === id);
    const arrows = await page.$$eval(`svg.ladder[data-conn="${id}"] g.arrow`, (a) => a.length);
    check(arrows === segs.length, `${name} #${id}: ${arrows} arrows drawn, ${segs.length} segments`);
    for (const side of ['client', 'server']) {
      const labels = await page.$$eval(
        `svg.ladder[data-conn="${id}"] text.state[data-side="${side}"]`,
        (t) => t.flatMap((x) => x.getAttribute('data-state').split(' ')));
      const want = conn[side + '_states'];
      check(JSON.stringify(labels) === JSON.stringify(want),
        `${name} #${id} ${side} states drawn ${labels.join(',')}, jsonl ${want.join(',')}`);
    }
    // Clicking the last arrow shows that segment: its frame and flags.
    const last = segs[segs.length - 1];
    await page.click(`svg.ladder[data-conn="${id}"] g.arrow[data-i="${segs.length - 1}"] line.hit`);
    const details = await page.$eval(`#conn-${id} .details`, (d) => d.innerText);
    check(details.includes(String(last.frame)) && details.includes(last.flags.join(',') || 'none'),
      `${name} #${id}: details after a click show frame ${last.frame} ${last.flags}: ${details}`);
    check(details.includes('seq') && details.includes(String(last.seq)),
      `${name} #${id}: details show the raw seq ${last.seq}`);
    // The story: what --format explain says about this connection, line for line.
    const story = await page.$$eval(`#conn-${id} .story-text p`, (p) => p.map((x) => x.textContent));
    const told = replay(pcap, 'explain', ['--conn', String(id), '--lang', lang])
      .split('\n\n')[0].split('\n');
    check(JSON.stringify(story) === JSON.stringify(told),
      `${name} #${id}: the page's story differs from --format explain:\n${story.join('\n')}`);
    // Both time-sequence graphs are there.
    const graphs = await page.$$eval(`#conn-${id} .tsg`, (g) => g.length);
    check(graphs === 2, `${name} #${id}: ${graphs} time-sequence graphs, want 2`);
  }
  if (name === 'midstream') {
    // The server's data graph: the wheel zooms (the time axis changes), a toggle hides the
    // ACK line.
    const graph = '#conn-1 .tsg[data-dir="s2c"]';
    const ticks = () => page.$$eval(`${graph} text.tick`, (t) => t.map((x) => x.textContent));
    const before = await ticks();
    const plot = await page.$(`${graph} svg`);
    await plot.evaluate((e) => e.scrollIntoView());
    const box = await plot.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel({ deltaY: -300 });
    const after = await ticks();
    check(before[0] !== after[0], `${name}: wheel did not zoom (${before[0]} → ${after[0]})`);
    const acks = () => page.$$eval(`${graph} path.ack-line`, (p) => p.length);
    check(await acks() === 1, `${name}: no ACK line in the server's graph`);
    await page.click(`${graph} input[data-toggle="ack"]`);
    check(await acks() === 0, `${name}: the ACK toggle did not hide the line`);
  }
  // The close-kind filter narrows the table to the connections of that kind.
  const kinds = [...new Set(expected.connections.map((c) => c.close))];
  for (const kind of kinds) {
    await page.select('#filter-close', kind);
    const rows = await page.$$eval('#index tbody tr', (r) => r.map((x) => x.dataset.conn));
    const want = expected.connections.filter((c) => c.close === kind).map((c) => String(c.conn));
    check(JSON.stringify(rows.sort()) === JSON.stringify(want.sort()),
      `${name}: filter close=${kind} shows ${rows}, want ${want}`);
  }
  await page.select('#filter-close', '');
  // The address filter: the first connection's client address and port.
  const first = expected.connections[0];
  await page.type('#filter-addr', first.client);
  const rows = await page.$$eval('#index tbody tr', (r) => r.map((x) => x.dataset.conn));
  const want = expected.connections.filter((c) => c.client.includes(first.client) ||
    c.server.includes(first.client)).map((c) => String(c.conn));
  check(JSON.stringify(rows) === JSON.stringify(want),
    `${name}: address filter ${first.client} shows ${rows}, want ${want}`);
  if (lang === 'zh') {
    const story = await page.$eval('#conn-1 .story', (p) => p.textContent);
    check(/[\u4e00-\u9fff]/.test(story), `${name} zh: the story is not Chinese: ${story}`);
  }
  await checkNoBadWords(page, name);
  await page.screenshot({ path: htmlFile.replace(/\.html$/, '.png'), fullPage: true });
  check(problems.length === 0, `${name}: ${problems.join('; ')}`);
  await page.close();
  console.log(`ok ${name} (${lang}): ${expected.connections.length} connections, ` +
    `${expected.segments.length} segments`);
}

// Every other sample: the page loads without an error, one ladder per connection.
async function loadsTest(browser, name) {
  const pcap = path.join(SAMPLES, name + '.pcap');
  const htmlFile = path.join(OUT, name + '.html');
  fs.writeFileSync(htmlFile, replay(pcap, 'html'));
  const { page, problems } = await openReport(browser, htmlFile);
  const ladders = await page.$$eval('svg.ladder', (l) => l.length);
  const want = jsonl(pcap).connections.length;
  check(ladders === want, `${name}: ${ladders} ladders, ${want} connections`);
  await checkNoBadWords(page, name);
  check(problems.length === 0, `${name}: ${problems.join('; ')}`);
  await page.close();
  console.log(`ok ${name}: loads, ${ladders} ladders`);
}

// More connections than the page draws on load: nothing drawn until a row is clicked.
async function manyConnectionsTest(browser) {
  const pcap = path.join(OUT, 'many.pcap');
  execFileSync(args['gen-bench'], [pcap, '--packets', '3000', '--seed', '7']);
  const htmlFile = path.join(OUT, 'many.html');
  fs.writeFileSync(htmlFile, replay(pcap, 'html'));
  const expected = jsonl(pcap);
  const { page, problems } = await openReport(browser, htmlFile);
  const total = expected.connections.length;
  check(total > 20, `many: ${total} connections, want more than 20`);
  check(await page.$$eval('svg.ladder', (l) => l.length) === 0, 'many: ladders drawn on load');
  const shown = await page.$eval('#shown', (s) => s.textContent);
  check(shown.endsWith('/ ' + total), `many: index says '${shown}', want '/ ${total}'`);
  const conn = expected.connections[5];
  await page.click(`#index tbody tr[data-conn="${conn.conn}"]`);
  const segs = expected.segments.filter((s) => s.conn === conn.conn).length;
  const arrows = await page.$$eval(`svg.ladder[data-conn="${conn.conn}"] g.arrow`, (a) => a.length);
  check(arrows === segs, `many #${conn.conn}: ${arrows} arrows after a click, ${segs} segments`);
  check(await page.$$eval('svg.ladder', (l) => l.length) === 1, 'many: one ladder after a click');
  await checkNoBadWords(page, 'many');
  check(problems.length === 0, `many: ${problems.join('; ')}`);
  await page.close();
  console.log(`ok many: ${total} connections, one drawn on click`);
}

const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const DETAILED = ['client_close', 'simultaneous_close', 'simultaneous_open', 'refused',
    'retransmission', 'out_of_order', 'half_close', 'port_reuse', 'icmp_unreachable',
    'time_wait', 'midstream'];
try {
  for (const name of DETAILED) await sampleTest(browser, name);
  for (const file of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.pcap')).sort()) {
    const name = file.replace(/\.pcap$/, '');
    if (!DETAILED.includes(name)) await loadsTest(browser, name);
  }
  await sampleTest(browser, 'simultaneous_open', 'zh');
  await manyConnectionsTest(browser);
} finally {
  await browser.close();
}
console.log(`screenshots in ${OUT}`);
if (failures) {
  console.error(`${failures} failure(s)`);
  process.exit(1);
}
