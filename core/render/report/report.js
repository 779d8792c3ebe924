// tcpinspect html report: draws the index, and per connection the ladder and the
// time-sequence graph of each direction, from the compact data the C++ renderer wrote
// (core/render/render_html.cpp; format in docs/report.md). Plain DOM and SVG, no library,
// no network: the page works offline from file://.
(function () {
  'use strict';

  const byId = (id) => document.getElementById(id);
  const META = JSON.parse(byId('meta').textContent);
  const STATS = JSON.parse(byId('stats').textContent);
  const ZH = META.lang === 'zh';
  const SVGNS = 'http://www.w3.org/2000/svg';
  const AUTO_OPEN = 20;      // a capture with at most this many connections opens drawn
  const LADDER_CAP = 500;    // arrows one ladder draws
  const PAGE = 200;          // index rows shown at a time

  const WORDS = {
    title: ['tcpinspect report', 'tcpinspect 报告'],
    frames: ['frames', '帧'], segments: ['TCP segments', 'TCP 报文段'],
    connections: ['connections', '连接'], evicted: ['evicted', '被驱逐'],
    close: ['close', '关闭方式'], notes: ['notes', '注释'], any: ['any', '全部'],
    state: ['state', '状态'], address: ['address', '地址'], client: ['client', '客户端'],
    server: ['server', '服务器'], zeek: ['zeek', 'zeek'], history: ['history', '历史'],
    packets: ['packets c/s', '包数 客/服'], bytes: ['bytes c/s', '字节 客/服'],
    duration: ['duration s', '时长 s'], rtt: ['RTT s', 'RTT s'],
    shown: ['shown', '显示'], more: ['show more', '显示更多'],
    ladder: ['Ladder', '时序图（梯形图）'], tsg: ['Time-sequence graph', '时间-序列号图'],
    click: ['Click an arrow for the whole segment.', '点击箭头查看完整的报文段。'],
    capped: ['segments not drawn (capped)', '个报文段没有绘制（已达上限）'],
    open: ['open', '打开'], data: ['data', '数据'], ack: ['ACK line', 'ACK 线'],
    win: ['receive window', '接收窗口'], sack: ['SACK blocks', 'SACK 块'],
    retrans: ['retransmission', '重传'], ooo: ['out of order', '乱序'],
    dup: ['duplicate ACK', '重复 ACK'], zero: ['zero window', '零窗口'],
    reset: ['reset zoom', '重置缩放'], zoomhelp: ['wheel: zoom, drag: pan', '滚轮缩放，拖动平移'],
    frame: ['frame', '帧'], time: ['time', '时间'], dir: ['direction', '方向'],
    flags: ['flags', '标志'], raw: ['raw', '原始'], rel: ['relative', '相对'],
    sym: ['symbolic', '符号'], len: ['length', '长度'], window: ['window', '窗口'],
    options: ['options', '选项'], checks: ['checks', '检查'], states: ['states', '状态'],
    checksum: ['bad checksum', '校验和错误'], none: ['none', '无'],
    end: ['end of capture', '抓包结束'],
    story: ['The story', '过程讲解'],
    nostory: ['The page tells the stories of the first connections only',
      '本页只讲解前面的连接'],
    seqaxis: ['relative sequence number', '相对序列号'], taxis: ['time (s)', '时间（秒）'],
  };
  const W = (k) => WORDS[k][ZH ? 1 : 0];

  // ---- data --------------------------------------------------------------------------
  const H = { id: 0, client: 1, server: 2, close: 3, zstate: 4, history: 5, first: 6, dur: 7,
    cpk: 8, cby: 9, spk: 10, sby: 11, rtt1: 12, rtt2: 13, cpath: 14, spath: 15, cisn: 16,
    sisn: 17, isnInferred: 18, cws: 19, sws: 20, dropped: 21, notes: 22 };
  const S = { t: 0, dir: 1, flags: 2, seq: 3, ack: 4, rseq: 5, rack: 6, soff: 7, aoff: 8,
    len: 9, win: 10, cst: 11, sst: 12, notes: 13, checks: 14, opts: 15, frame: 16, bad: 17,
    unconf: 18, via: 19 };
  const TIMER_VIA = 6;
  const noteIndex = (id) => META.notes.findIndex((n) => n[0] === id);
  const N_RETRANS = noteIndex('retransmission');
  const N_SYNRETRANS = noteIndex('syn_retransmission');
  const N_OOO = noteIndex('out_of_order');
  const N_DUP = noteIndex('duplicate_ack');
  const N_ZERO = noteIndex('zero_window');
  // Note bits go past 32 (no >>>: JavaScript's bitwise operators are 32-bit); exact
  // below 2^53, and there are fewer than 53 notes.
  const hasNote = (bits, i) => i >= 0 && Math.floor(bits / 2 ** i) % 2 === 1;

  const conns = [];
  for (const line of byId('conns').textContent.split('\n')) {
    if (!line) continue;
    const tab = line.indexOf('\t');
    conns.push({ h: JSON.parse(line.slice(0, tab)), raw: line.slice(tab + 1), segs: null });
  }
  const byConnId = new Map(conns.map((c) => [c.h[H.id], c]));
  // The rest of a line: SEGMENTS<TAB>"story" (or null), parsed when the connection opens.
  function parseRest(c) {
    if (c.segs) return;
    const tab = c.raw.indexOf('\t');
    c.segs = JSON.parse(c.raw.slice(0, tab));
    c.story = JSON.parse(c.raw.slice(tab + 1));
  }
  const segsOf = (c) => (parseRest(c), c.segs);

  // ---- helpers -----------------------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    for (const k of kids) e.append(k);
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  const FLAG_NAMES = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'];
  function flagText(f) {
    const names = FLAG_NAMES.filter((_, i) => (f >> i) & 1);
    return names.length ? names.join(',') : 'none';
  }
  function symbolic(base, off) {
    if (off < 0) return base + '-' + -off;
    if (off === 0) return base;
    return base + '+1' + (off > 1 ? '+' + (off - 1) : '');
  }
  function offsetFrom(v, isn) {
    let d = (v - isn) >>> 0;
    if (d >= 0x80000000) d -= 0x100000000;
    return d;
  }
  const stateName = (i) => META.states[i][0];
  const secs = (us) => (us / 1e6).toFixed(6);
  const spaceOf = (dir) => (dir === 0 ? 'x' : 'y');
  const sideName = (dir) => (dir === 0 ? W('client') : W('server'));
  const isTimer = (s) => s[S.flags] === -1;

  function arrowLabel(s) {
    let l = flagText(s[S.flags]) + ' seq=' + symbolic(spaceOf(s[S.dir]), s[S.soff]);
    if (s[S.flags] & 16) l += ' ack=' + symbolic(spaceOf(1 - s[S.dir]), s[S.aoff]);
    if (s[S.len]) l += ' len=' + s[S.len];
    const checks = s[S.checks] || [];
    if (checks.length) l += checks.every((c) => c[1]) ? ' ✓' : ' ✗';
    return l;
  }

  // ---- index -------------------------------------------------------------------------
  const app = byId('app');
  app.textContent = '';
  app.append(el('h1', {}, W('title')));
  app.append(el('p', { class: 'stats' },
    `${STATS.frames} ${W('frames')}, ${STATS.tcp_segments} ${W('segments')}, ` +
    `${STATS.connections} ${W('connections')}` +
    (STATS.evicted ? `, ${STATS.evicted} ${W('evicted')}` : '')));

  const filter = { close: '', state: '', note: '', addr: '' };
  const closeCounts = new Map(), noteCounts = new Map();
  for (const c of conns) {
    closeCounts.set(c.h[H.close], (closeCounts.get(c.h[H.close]) || 0) + 1);
    for (let i = 0; i < META.notes.length; ++i)
      if (hasNote(c.h[H.notes], i)) noteCounts.set(i, (noteCounts.get(i) || 0) + 1);
  }
  const counts = el('div', { class: 'counts', id: 'counts' });
  counts.append(el('span', { class: 'label' }, W('close') + ':'));
  for (const [k, n] of closeCounts) {
    const chip = el('button', { class: 'chip close-' + k, 'data-close': k, title: META.closes[k] },
      `${k} ${n}`);
    chip.onclick = () => { selClose.value = k; filter.close = k; refresh(); };
    counts.append(chip);
  }
  counts.append(el('br'));
  counts.append(el('span', { class: 'label' }, W('notes') + ':'));
  for (const [i, n] of [...noteCounts].sort((a, b) => b[1] - a[1])) {
    const chip = el('button', { class: 'chip', 'data-note': META.notes[i][0],
      title: META.notes[i][2] }, `${META.notes[i][0]} ${n}`);
    chip.onclick = () => { selNote.value = String(i); filter.note = String(i); refresh(); };
    counts.append(chip);
  }
  app.append(counts);

  function select(id, label, options, key) {
    const s = el('select', { id });
    s.append(el('option', { value: '' }, W('any')));
    for (const [v, t] of options) s.append(el('option', { value: v }, t));
    s.onchange = () => { filter[key] = s.value; refresh(); };
    return [el('label', {}, label + ' ', s), s];
  }
  const [closeLabel, selClose] = select('filter-close', W('close'),
    [...closeCounts.keys()].map((k) => [k, k]), 'close');
  const [stateLabel, selState] = select('filter-state', W('state'),
    META.states.map((s, i) => [String(i), s[0]]).concat(
      [...new Set(conns.map((c) => c.h[H.zstate]))].map((z) => ['z:' + z, 'zeek ' + z])),
    'state');
  const [noteLabel, selNote] = select('filter-note', W('notes'),
    [...noteCounts.keys()].map((i) => [String(i), META.notes[i][0]]), 'note');
  const addr = el('input', { id: 'filter-addr', type: 'search', placeholder: '10.0.0.1:443' });
  addr.oninput = () => { filter.addr = addr.value.trim(); refresh(); };
  const shownText = el('span', { id: 'shown' });
  app.append(el('div', { class: 'filters' }, closeLabel, stateLabel, noteLabel,
    el('label', {}, W('address') + ' ', addr), shownText));

  const columns = [
    ['#', (h) => h[H.id]], [W('client'), (h) => h[H.client]], [W('server'), (h) => h[H.server]],
    [W('close'), (h) => h[H.close]], [W('zeek'), (h) => h[H.zstate]],
    [W('history'), (h) => h[H.history]], [W('packets'), (h) => h[H.cpk] + h[H.spk]],
    [W('bytes'), (h) => h[H.cby] + h[H.sby]], [W('duration'), (h) => h[H.dur]],
    [W('rtt'), (h) => (h[H.rtt1] === null ? -1 : h[H.rtt1])], [W('notes'), (h) => h[H.notes]],
  ];
  const sort = { col: 0, dir: 1 };
  const table = el('table', { id: 'index' });
  const headRow = el('tr');
  columns.forEach(([name], i) => {
    const th = el('th', { 'data-col': String(i) }, name);
    th.onclick = () => {
      sort.dir = sort.col === i ? -sort.dir : 1;
      sort.col = i;
      refresh();
    };
    headRow.append(th);
  });
  table.append(el('thead', {}, headRow));
  const tbody = el('tbody');
  table.append(tbody);
  app.append(table);
  const moreButton = el('button', { id: 'more' }, W('more'));
  app.append(moreButton);
  const views = el('div', { id: 'views' });
  app.append(views);

  function matches(c) {
    const h = c.h;
    if (filter.close && h[H.close] !== filter.close) return false;
    if (filter.note && !hasNote(h[H.notes], Number(filter.note))) return false;
    if (filter.state) {
      if (filter.state.startsWith('z:')) {
        if (h[H.zstate] !== filter.state.slice(2)) return false;
      } else {
        const st = Number(filter.state);
        if (!h[H.cpath].includes(st) && !h[H.spath].includes(st)) return false;
      }
    }
    if (filter.addr && !(h[H.client] + ' ' + h[H.server]).includes(filter.addr)) return false;
    return true;
  }

  let rows = [], shown = 0;
  function row(c) {
    const h = c.h;
    const noteNames = [];
    for (let i = 0; i < META.notes.length; ++i)
      if (hasNote(h[H.notes], i)) noteNames.push(META.notes[i][0]);
    const tr = el('tr', { 'data-conn': String(h[H.id]) },
      el('td', {}, String(h[H.id])), el('td', {}, h[H.client]), el('td', {}, h[H.server]),
      el('td', { class: 'close-' + h[H.close] }, h[H.close]), el('td', {}, h[H.zstate]),
      el('td', {}, h[H.history]), el('td', {}, `${h[H.cpk]}/${h[H.spk]}`),
      el('td', {}, `${h[H.cby]}/${h[H.sby]}`), el('td', {}, secs(h[H.dur])),
      el('td', {}, h[H.rtt1] === null ? '-' : secs(h[H.rtt1])),
      el('td', { class: 'notes' }, noteNames.join(' ')));
    tr.onclick = () => openConn(c, true);
    return tr;
  }
  function showMore() {
    const frag = document.createDocumentFragment();
    for (const c of rows.slice(shown, shown + PAGE)) frag.append(row(c));
    tbody.append(frag);
    shown = Math.min(rows.length, shown + PAGE);
    shownText.textContent = `${W('shown')} ${shown} / ${rows.length}`;
    moreButton.style.display = shown < rows.length ? '' : 'none';
  }
  moreButton.onclick = showMore;
  function refresh() {
    const key = columns[sort.col][1];
    rows = conns.filter(matches);
    rows.sort((a, b) => {
      const x = key(a.h), y = key(b.h);
      return (x < y ? -1 : x > y ? 1 : a.h[H.id] - b.h[H.id]) * sort.dir;
    });
    tbody.textContent = '';
    shown = 0;
    headRow.querySelectorAll('th').forEach((th, i) =>
      th.setAttribute('class', i === sort.col ? (sort.dir > 0 ? 'asc' : 'desc') : ''));
    showMore();
  }

  // ---- one connection -----------------------------------------------------------------
  function openConn(c, scroll) {
    const id = c.h[H.id];
    let view = byId('conn-' + id);
    if (!view) {
      view = drawConn(c);
      views.append(view);
    }
    if (scroll) view.scrollIntoView();
  }

  function drawConn(c) {
    const h = c.h, segs = segsOf(c);
    const view = el('section', { class: 'conn', id: 'conn-' + h[H.id] });
    view.append(el('h2', {}, `#${h[H.id]} ${W('client')} ${h[H.client]} ⇄ ${W('server')} ` +
      `${h[H.server]} (${h[H.close]}, zeek ${h[H.zstate]} ${h[H.history]})`));
    view.append(el('p', { class: 'story' }, META.closes[h[H.close]]));
    view.append(el('p', { class: 'paths' },
      `${W('client')}: ${h[H.cpath].map(stateName).join(' → ')}`, el('br'),
      `${W('server')}: ${h[H.spath].map(stateName).join(' → ')}`));
    if (h[H.dropped])
      view.append(el('p', { class: 'capped' }, `… ${h[H.dropped]} ${W('capped')} ` +
        `(${META.max_records})`));
    view.append(el('h3', {}, W('ladder')), el('p', { class: 'hint' }, W('click')));
    const details = el('div', { class: 'details' });
    const wrap = el('div', { class: 'ladder-wrap' });
    wrap.append(drawLadder(c, segs, details));
    view.append(wrap, details);
    view.append(el('h3', {}, W('story')));
    if (c.story !== null) {
      view.append(el('div', { class: 'story-text' },
        ...c.story.trimEnd().split('\n').map((line) => el('p', {}, line))));
    } else {
      view.append(el('p', { class: 'hint' }, `${W('nostory')} (${META.max_stories}): ` +
        `tcpinspect replay FILE --format explain --conn ${h[H.id]}` +
        (ZH ? ' --lang zh' : '')));
    }
    view.append(el('h3', {}, W('tsg')));
    for (const dir of [0, 1]) view.append(drawTsg(c, segs, dir));
    return view;
  }

  // The ladder: the same geometry as the svg format (core/render/render_svg.cpp).
  function drawLadder(c, segs, details) {
    const h = c.h;
    const WIDTH = 1060, CX = 250, SX = 690, TOP = 96, MIN_GAP = 34, MAX_EXTRA = 40, SLANT = 16;
    const LINE = 14, NOTES_X = SX + 190;
    const drawn = segs.slice(0, LADDER_CAP);
    let longest = 1;
    for (let i = 1; i < drawn.length; ++i)
      longest = Math.max(longest, drawn[i][S.t] - drawn[i - 1][S.t]);
    const ys = [];
    let at = TOP;
    // A row's socket-API moments are written under its state labels: the next row leaves room.
    const moments = (s) => isTimer(s) ? 0
      : META.notes.filter((n, k) => n[4] && hasNote(s[S.notes], k)).length;
    drawn.forEach((s, i) => {
      if (i) at += MIN_GAP + LINE * moments(drawn[i - 1]) +
        Math.floor(MAX_EXTRA * Math.max(0, s[S.t] - drawn[i - 1][S.t]) / longest);
      ys.push(at);
    });
    const bottom = (ys.length ? ys[ys.length - 1] : TOP) + SLANT + 60;
    const extra = segs.length > drawn.length ? 30 : 10;
    const root = svg('svg', { class: 'ladder', width: WIDTH, height: bottom + extra,
      viewBox: `0 0 ${WIDTH} ${bottom + extra}`, 'data-conn': String(h[H.id]) });
    const defs = svg('defs');
    const marker = svg('marker', { id: 'head-' + h[H.id], viewBox: '0 0 10 10', refX: 10,
      refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#222' }));
    defs.append(marker);
    root.append(defs);
    const text = (x, y, cls, anchor, t) =>
      root.append(svg('text', { x, y, class: cls, 'text-anchor': anchor }, t));
    text(CX, 50, 'h', 'middle', `${W('client')} ${h[H.client]}`);
    text(SX, 50, 'h', 'middle', `${W('server')} ${h[H.server]}`);
    root.append(svg('line', { class: 'life', x1: CX, y1: 58, x2: CX, y2: bottom - 30 }));
    root.append(svg('line', { class: 'life', x1: SX, y1: 58, x2: SX, y2: bottom - 30 }));
    // via: states passed through on the way (e.g. FIN_WAIT_1 → CLOSING in one step).
    const stateText = (side, y, st, unconfirmed, via) => {
      const names = (via || []).concat([st]).map(stateName);
      const t = svg('text', { x: side === 0 ? CX - 8 : SX + 8, y,
        class: 'state' + (unconfirmed ? ' unconfirmed' : ''),
        'text-anchor': side === 0 ? 'end' : 'start', 'data-side': side === 0 ? 'client' : 'server',
        'data-state': names.join(' ') }, names.join(' → ') + (unconfirmed ? '?' : ''));
      t.append(svg('title', {}, META.states[st][1]));
      root.append(t);
    };
    let client = h[H.cpath][0], server = h[H.spath][0];
    stateText(0, 74, client, false);
    stateText(1, 74, server, false);
    drawn.forEach((s, i) => {
      const y = ys[i], c2s = s[S.dir] === 0;
      text(20, y + 4, 't', 'start', secs(s[S.t] + h[H.first]));
      const clientY = y + (c2s ? 4 : SLANT + 4), serverY = y + (c2s ? SLANT + 4 : 4);
      let cst, sst, unconf = 0, via;
      if (isTimer(s)) {
        cst = s[4];
        sst = s[5];
        via = s[TIMER_VIA] || [[], []];
        text((CX + SX) / 2, y + 4, 'api', 'middle',
          s[3] < META.notes.length ? META.notes[s[3]][1] : W('end'));
      } else {
        cst = s[S.cst];
        sst = s[S.sst];
        unconf = s[S.unconf] || 0;
        via = s[S.via] || [[], []];
        const checks = s[S.checks] || [];
        const ok = checks.every((k) => k[1]);
        const g = svg('g', { class: 'arrow' + (ok ? '' : ' bad'), 'data-i': String(i),
          tabindex: '0' });
        const x1 = c2s ? CX : SX, x2 = c2s ? SX : CX;
        g.append(svg('line', { class: 'hit', x1, y1: y, x2, y2: y + SLANT }));
        g.append(svg('line', { class: 'a', x1, y1: y, x2, y2: y + SLANT,
          'marker-end': `url(#head-${h[H.id]})` }));
        g.append(svg('text', { x: (CX + SX) / 2, y: y + SLANT / 2 - 5, class: 'lb',
          'text-anchor': 'middle' }, arrowLabel(s)));
        // Hover: the frame, relative numbers and what the notes mean; click for the rest.
        const hover = [`frame ${s[S.frame]}  seq ${s[S.rseq]}  ack ${s[S.rack]}  win ${s[S.win]}`];
        for (let n = 0; n < META.notes.length; ++n)
          if (hasNote(s[S.notes], n)) hover.push(META.notes[n][2]);
        g.append(svg('title', {}, hover.join('\n')));
        const show = () => {
          root.querySelectorAll('g.arrow.sel').forEach((a) => a.classList.remove('sel'));
          g.classList.add('sel');
          showSegment(c, s, details);
        };
        g.addEventListener('click', show);
        g.addEventListener('keydown', (e) => { if (e.key === 'Enter') show(); });
        root.append(g);
        let momentLine = 0, others = 0;
        for (let n = 0; n < META.notes.length; ++n) {
          if (!hasNote(s[S.notes], n)) continue;
          if (META.notes[n][4]) {
            const toClient = !c2s;
            // "read() returns 0: peer closed..." -> "read() returns 0" beside the side.
            text(toClient ? CX - 8 : SX + 8, (toClient ? clientY : serverY) + LINE * ++momentLine,
              'api', toClient ? 'end' : 'start', META.notes[n][1].split(':')[0]);
          } else if (META.notes[n][0] !== 'bad_checksum') {
            text(NOTES_X, y + 4 + LINE * others++, 'note', 'start', META.notes[n][0]);
          }
        }
      }
      if (cst !== client || via[0].length || (unconf & 1))
        stateText(0, clientY, cst, unconf & 1, via[0]);
      if (sst !== server || via[1].length || (unconf & 2))
        stateText(1, serverY, sst, unconf & 2, via[1]);
      client = cst;
      server = sst;
    });
    if (segs.length > drawn.length)
      text(20, bottom, 'note capped', 'start',
        `… ${segs.length - drawn.length} ${W('capped')} (${LADDER_CAP})`);
    return root;
  }

  function showSegment(c, s, details) {
    const h = c.h, dir = s[S.dir];
    const own = spaceOf(dir), other = spaceOf(1 - dir);
    const ownIsn = dir === 0 ? h[H.cisn] : h[H.sisn], otherIsn = dir === 0 ? h[H.sisn] : h[H.cisn];
    const scale = dir === 0 ? h[H.cws] : h[H.sws];
    const rows = [];
    const add = (k, v) => rows.push(el('tr', {}, el('th', {}, k), el('td', {}, v)));
    add(W('frame'), String(s[S.frame]));
    add(W('time'), secs(s[S.t] + h[H.first]) + ' s');
    add(W('dir'), `${sideName(dir)} → ${sideName(1 - dir)}`);
    add(W('flags'), flagText(s[S.flags]));
    add('seq', `${W('raw')} ${s[S.seq]}, ${W('rel')} ${s[S.rseq]}, ${W('sym')} ` +
      symbolic(own, s[S.soff]));
    if (s[S.flags] & 16)
      add('ack', `${W('raw')} ${s[S.ack]}, ${W('rel')} ${s[S.rack]}, ${W('sym')} ` +
        symbolic(other, s[S.aoff]));
    add(W('len'), String(s[S.len]));
    add(W('window'), (s[S.flags] & 2) || !scale ? String(s[S.win])
      : `${s[S.win]} × 2^${scale} = ${s[S.win] * 2 ** scale}`);
    const o = s[S.opts];
    if (o) {
      const parts = [];
      if (o.m !== undefined) parts.push('mss ' + o.m);
      if (o.w !== undefined) parts.push('wscale ' + o.w);
      if (o.p) parts.push('sackOK');
      if (o.t) parts.push(`TS ${o.t[0]}/${o.t[1]}`);
      if (o.k) parts.push('sack ' + o.k.map((b) => `${b[0]}-${b[1]}`).join(' '));
      add(W('options'), parts.join(', '));
    }
    add(W('states'), `${W('client')} ${stateName(s[S.cst])}, ${W('server')} ` +
      stateName(s[S.sst]));
    const checks = s[S.checks] || [];
    if (checks.length) {
      const ul = el('ul');
      for (const k of checks) {
        const ownSpace = k[0] === 2 || k[0] === 5;
        const sym = (v) => ownSpace ? symbolic(own, offsetFrom(v, ownIsn))
          : symbolic(other, offsetFrom(v, otherIsn));
        ul.append(el('li', { class: k[1] ? 'ok' : 'bad' },
          `${k[1] ? '✓' : '✗'} ${META.checks[k[0]][0]}: ${META.checks[k[0]][1]} ` +
          `(${sym(k[2])}` + (k[1] ? ')' : `, ${sym(k[3])})`)));
      }
      add(W('checks'), ul);
    }
    const notes = [];
    for (let n = 0; n < META.notes.length; ++n)
      if (hasNote(s[S.notes], n)) notes.push(n);
    if (notes.length) {
      const ul = el('ul');
      for (const n of notes)
        ul.append(el('li', {}, el('b', {}, META.notes[n][0]), ': ' + META.notes[n][2] + ' (' +
          META.notes[n][3] + ')'));
      add(W('notes'), ul);
    }
    if (s[S.bad]) add(W('checksum'), '✗');
    details.textContent = '';
    details.append(el('table', { class: 'segment' }, ...rows));
  }

  // ---- time-sequence graph (Stevens / tcptrace) ---------------------------------------
  function drawTsg(c, segs, dir) {
    const h = c.h;
    const scale = dir === 0 ? h[H.sws] : h[H.cws];  // the acking side's window scale
    const data = [], acks = [], wins = [], sacks = [], dups = [], zeros = [];
    for (const s of segs) {
      if (isTimer(s)) continue;
      const t = (s[S.t] + h[H.first]) / 1e6;
      if (s[S.dir] === dir) {
        const span = s[S.len] + ((s[S.flags] & 2) ? 1 : 0) + ((s[S.flags] & 1) ? 1 : 0);
        if (span === 0) continue;
        const kind = hasNote(s[S.notes], N_OOO) ? 'ooo'
          : hasNote(s[S.notes], N_RETRANS) || hasNote(s[S.notes], N_SYNRETRANS) ? 'retrans'
          : 'data';
        data.push({ t, y0: s[S.rseq], y1: s[S.rseq] + span, kind });
      } else if (s[S.flags] & 16) {
        const a = s[S.rack];
        acks.push({ t, y: a });
        const w = (s[S.flags] & 2) ? s[S.win] : s[S.win] * 2 ** scale;
        wins.push({ t, y: a + w });
        const o = s[S.opts];
        if (o && o.k) for (const b of o.k) sacks.push({ t, y0: b[0], y1: b[1] });
        if (hasNote(s[S.notes], N_DUP)) dups.push({ t, y: a });
        if (hasNote(s[S.notes], N_ZERO)) zeros.push({ t, y: a });
      }
    }
    const box = el('div', { class: 'tsg', 'data-dir': dir === 0 ? 'c2s' : 's2c' });
    box.append(el('h4', {}, `${sideName(dir)} → ${sideName(1 - dir)} ` +
      `(${dir === 0 ? h[H.client] : h[H.server]} → ${dir === 0 ? h[H.server] : h[H.client]})`));
    if (!data.length && !acks.length) {
      box.append(el('p', { class: 'hint' }, W('none')));
      return box;
    }
    // The first view fits the data and the ACKs; the window line is included only when it
    // does not squash them (else it runs off the top until one zooms out).
    const all = [...data.flatMap((d) => [[d.t, d.y0], [d.t, d.y1]]), ...acks.map((a) => [a.t, a.y])];
    const full = {
      t0: Math.min(...all.map((p) => p[0])), t1: Math.max(...all.map((p) => p[0])),
      y0: Math.min(...all.map((p) => p[1])), y1: Math.max(...all.map((p) => p[1])),
    };
    const winTop = wins.reduce((m, w) => Math.max(m, w.y), -Infinity);
    const span = Math.max(1, full.y1 - full.y0);
    full.y1 = Math.max(full.y1, Math.min(winTop, full.y1 + 2 * span));
    if (full.t1 === full.t0) full.t1 = full.t0 + 0.001;
    if (full.y1 === full.y0) full.y1 = full.y0 + 1;
    const padT = (full.t1 - full.t0) * 0.03, padY = (full.y1 - full.y0) * 0.05;
    const home = { t0: full.t0 - padT, t1: full.t1 + padT, y0: full.y0 - padY, y1: full.y1 + padY };
    let view = { ...home };
    const WIDTH = 900, HEIGHT = 380, L = 80, R = 20, T = 10, B = 40;
    const root = svg('svg', { class: 'tsg-plot', width: WIDTH, height: HEIGHT,
      viewBox: `0 0 ${WIDTH} ${HEIGHT}` });
    const shown = { data: true, ack: true, win: true, sack: true, marks: true };
    const X = (t) => L + (t - view.t0) / (view.t1 - view.t0) * (WIDTH - L - R);
    const Y = (y) => HEIGHT - B - (y - view.y0) / (view.y1 - view.y0) * (HEIGHT - T - B);
    function steps(points) {
      if (!points.length) return '';
      let d = `M${X(points[0].t)},${Y(points[0].y)}`;
      for (let i = 1; i < points.length; ++i)
        d += `H${X(points[i].t)}V${Y(points[i].y)}`;
      return d + `H${X(view.t1)}`;
    }
    function redraw() {
      root.textContent = '';
      const clip = 'clip-' + h[H.id] + '-' + dir;
      const defs = svg('defs');
      const cp = svg('clipPath', { id: clip });
      cp.append(svg('rect', { x: L, y: T, width: WIDTH - L - R, height: HEIGHT - T - B }));
      defs.append(cp);
      root.append(defs);
      root.append(svg('rect', { x: L, y: T, width: WIDTH - L - R, height: HEIGHT - T - B,
        class: 'plot-bg' }));
      for (let i = 0; i <= 5; ++i) {
        const t = view.t0 + (view.t1 - view.t0) * i / 5;
        root.append(svg('text', { x: X(t), y: HEIGHT - B + 16, class: 'tick',
          'text-anchor': 'middle' }, t.toFixed(4)));
      }
      // Sequence numbers are whole: ticks at round steps of at least one.
      const raw = (view.y1 - view.y0) / 5, mag = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
      const step = [1, 2, 5, 10].map((k) => k * mag).find((k) => k >= raw) || 10 * mag;
      for (let y = Math.ceil(view.y0 / step) * step; y <= view.y1; y += step) {
        root.append(svg('text', { x: L - 6, y: Y(y) + 4, class: 'tick', 'text-anchor': 'end' },
          String(y)));
        root.append(svg('line', { x1: L, x2: WIDTH - R, y1: Y(y), y2: Y(y), class: 'grid' }));
      }
      root.append(svg('text', { x: (L + WIDTH - R) / 2, y: HEIGHT - 6, class: 'axis',
        'text-anchor': 'middle' }, W('taxis')));
      root.append(svg('text', { x: 14, y: (T + HEIGHT - B) / 2, class: 'axis',
        'text-anchor': 'middle', transform: `rotate(-90 14 ${(T + HEIGHT - B) / 2})` },
        W('seqaxis')));
      const g = svg('g', { 'clip-path': `url(#${clip})` });
      root.append(g);
      if (shown.win) g.append(svg('path', { d: steps(wins), class: 'win-line' }));
      if (shown.ack) g.append(svg('path', { d: steps(acks), class: 'ack-line' }));
      if (shown.sack)
        for (const s of sacks)
          g.append(svg('line', { x1: X(s.t), x2: X(s.t), y1: Y(s.y0), y2: Y(s.y1),
            class: 'sack' }));
      if (shown.data)
        for (const d of data) {
          const x = X(d.t), ya = Y(d.y0), yb = Y(d.y1);
          const seg = svg('g', { class: 'seg ' + d.kind });
          seg.append(svg('line', { x1: x, x2: x, y1: ya, y2: yb }));
          seg.append(svg('line', { x1: x - 3, x2: x + 3, y1: ya, y2: ya }));
          seg.append(svg('line', { x1: x - 3, x2: x + 3, y1: yb, y2: yb }));
          if (d.kind !== 'data') seg.append(svg('circle', { cx: x, cy: yb, r: 3.5 }));
          g.append(seg);
        }
      if (shown.marks) {
        for (const d of dups)
          g.append(svg('path', { d: `M${X(d.t)},${Y(d.y) - 5}l5,5l-5,5l-5,-5z`, class: 'dup' }));
        for (const z of zeros)
          g.append(svg('rect', { x: X(z.t) - 4, y: Y(z.y) - 4, width: 8, height: 8,
            class: 'zero' }));
      }
    }
    // Zoom with the wheel around the pointer, pan by dragging; both axes.
    root.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = root.getBoundingClientRect();
      const px = (e.clientX - r.left) * WIDTH / r.width, py = (e.clientY - r.top) * HEIGHT / r.height;
      const ft = view.t0 + (px - L) / (WIDTH - L - R) * (view.t1 - view.t0);
      const fy = view.y0 + (HEIGHT - B - py) / (HEIGHT - T - B) * (view.y1 - view.y0);
      const k = e.deltaY < 0 ? 0.8 : 1.25;
      view = { t0: ft - (ft - view.t0) * k, t1: ft + (view.t1 - ft) * k,
        y0: fy - (fy - view.y0) * k, y1: fy + (view.y1 - fy) * k };
      redraw();
    }, { passive: false });
    let drag = null;
    root.addEventListener('mousedown', (e) => { drag = { x: e.clientX, y: e.clientY, v: view }; });
    window.addEventListener('mouseup', () => { drag = null; });
    root.addEventListener('mousemove', (e) => {
      if (!drag) return;
      const r = root.getBoundingClientRect();
      const dt = (e.clientX - drag.x) * WIDTH / r.width / (WIDTH - L - R) *
        (drag.v.t1 - drag.v.t0);
      const dy = (e.clientY - drag.y) * HEIGHT / r.height / (HEIGHT - T - B) *
        (drag.v.y1 - drag.v.y0);
      view = { t0: drag.v.t0 - dt, t1: drag.v.t1 - dt, y0: drag.v.y0 + dy, y1: drag.v.y1 + dy };
      redraw();
    });
    const controls = el('div', { class: 'controls' });
    const toggle = (key, label, cls) => {
      const cb = el('input', { type: 'checkbox', checked: '', 'data-toggle': key });
      cb.onchange = () => { shown[key] = cb.checked; redraw(); };
      controls.append(el('label', { class: 'legend ' + cls }, cb, el('span', { class: 'swatch' }),
        label));
    };
    toggle('data', W('data'), 'l-data');
    toggle('ack', W('ack'), 'l-ack');
    toggle('win', W('win'), 'l-win');
    toggle('sack', W('sack'), 'l-sack');
    toggle('marks', `${W('dup')} ◆ / ${W('zero')} ■`, 'l-marks');
    controls.append(el('span', { class: 'legend l-retrans' }, el('span', { class: 'swatch' }),
      W('retrans')));
    controls.append(el('span', { class: 'legend l-ooo' }, el('span', { class: 'swatch' }),
      W('ooo')));
    const reset = el('button', {}, W('reset'));
    reset.onclick = () => { view = { ...home }; redraw(); };
    controls.append(reset, el('span', { class: 'hint' }, ' ' + W('zoomhelp')));
    box.append(controls, root);
    redraw();
    return box;
  }

  refresh();
  if (conns.length <= AUTO_OPEN) for (const c of conns) openConn(c, false);
  // #conn-N in the address opens that connection.
  const m = /^#conn-(\d+)$/.exec(location.hash);
  if (m && byConnId.has(Number(m[1]))) openConn(byConnId.get(Number(m[1])), true);
})();
