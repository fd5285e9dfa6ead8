#!/usr/bin/env node
'use strict';

// Reads the folder tools/bench.sh filled and prints the comparison as
// Markdown: per network and per photo, the reference's time over ours from
// the same round (median over rounds), on the wall clock and on process
// CPU time, against the targets of issue 7. No npm packages needed.
//
//   node bench/pipeline/compare.js RESULTS_DIR

const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: compare.js RESULTS_DIR\n');
  process.exit(2);
}

const TARGET_NETWORK_RATIO = 8;
const TARGET_PIPELINE_RATIO = 10;
const TARGET_TINY_MS = 15;
const TARGET_SSD_MS = 60;
const TARGET_DESCRIPTOR_MS = 6;
const TARGET_RSS_MIB = 64;
const TARGET_THREAD_SPEEDUP = 1.7;

function readJson(name) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) return null;
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    process.stderr.write(`compare.js: ${name}: ${err.message}\n`);
    return null;
  }
}

function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const fmt = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
// "wall (CPU)" of a bench_pipeline timing.
const both = (t) => (t ? `${fmt(t.median_ms)} (${fmt(t.cpu_median_ms)})`
  : '-');
const mark = (ok) => (ok === null ? '' : ok ? 'met' : 'MISSED');

// The one-ISA, one-thread block of a bench_pipeline document.
function oursBlock(doc) {
  if (!doc || !doc.isas || !doc.isas[0] || !doc.isas[0].by_threads) {
    return null;
  }
  return { isa: doc.isas[0].isa, ...doc.isas[0].by_threads[0] };
}

function theirsBackend(doc, backend) {
  return doc && doc.backends ? doc.backends[backend] : null;
}

const files = fs.readdirSync(dir);
const rounds = new Set();
const networks = [];
const photos = [];
for (const f of files) {
  let m = /^net-(\d+)-(.+)-ours\.json$/.exec(f);
  if (m) {
    rounds.add(m[1]);
    if (!networks.includes(m[2])) networks.push(m[2]);
  }
  m = /^pipe-(\d+)-(.+)-ours\.json$/.exec(f);
  if (m) {
    rounds.add(m[1]);
    if (!photos.includes(m[2])) photos.push(m[2]);
  }
}
const order = ['ssd_mobilenetv1', 'tiny_face_detector', 'face_landmark_68',
  'face_landmark_68_tiny', 'age_gender', 'face_expression',
  'face_recognition'];
networks.sort((a, b) => order.indexOf(a) - order.indexOf(b));
photos.sort();

const out = [];
const say = (line = '') => out.push(line);

const machine = path.join(dir, 'machine.txt');
if (fs.existsSync(machine)) {
  say('```');
  say(fs.readFileSync(machine, 'utf8').trimEnd());
  say('```');
  say();
}

// ---------------------------------------------------------------- networks
const targets = [];
let isaUsed = null;
const loads = [];
say('## Networks, one thread: reference time / ours, same round');
say();
say('Medians in ms; wall clock, process CPU time in brackets. Ratio: ' +
  'median over rounds of (reference median / our median).');
say();
say('| network | ours | wasm | wasm/ours wall | wasm/ours CPU | ' +
  `target ${TARGET_NETWORK_RATIO}x | cpu backend | cpu/ours wall | ` +
  'cpu/ours CPU |');
say('|---|---|---|---|---|---|---|---|---|');
const networkRatios = {};
for (const net of networks) {
  const row = { ours: [], oursCpu: [], wasm: [], wasmCpu: [], cpu: [],
    cpuCpu: [], rWasm: [], rWasmCpu: [], rCpu: [], rCpuCpu: [] };
  for (const r of rounds) {
    const ours = oursBlock(readJson(`net-${r}-${net}-ours.json`));
    const o = ours && ours.networks[net] && ours.networks[net].time;
    if (!o) continue;
    isaUsed = ours.isa;
    row.ours.push(o.median_ms);
    row.oursCpu.push(o.cpu_median_ms);
    for (const backend of ['wasm', 'cpu']) {
      const doc = readJson(`net-${r}-${net}-${backend}.json`);
      const b = theirsBackend(doc, backend);
      const t = b && b.networks && b.networks[net];
      if (!t) continue;
      if (doc.load_average_at_start) loads.push(doc.load_average_at_start[0]);
      row[backend].push(t.median_ms);
      row[`${backend}Cpu`].push(t.cpu_median_ms);
      const key = backend === 'wasm' ? 'Wasm' : 'Cpu';
      row[`r${key}`].push(t.median_ms / o.median_ms);
      row[`r${key}Cpu`].push(t.cpu_median_ms / o.cpu_median_ms);
    }
  }
  const rw = median(row.rWasm);
  const rwc = median(row.rWasmCpu);
  networkRatios[net] = { wall: rw, cpu: rwc, ours: median(row.ours),
    oursCpu: median(row.oursCpu) };
  const met = Number.isFinite(rw) ? rw >= TARGET_NETWORK_RATIO : null;
  let verdict = mark(met);
  if (met === false) {
    verdict += ` (${fmt(rw, 1)}x, short by ` +
      `${fmt(TARGET_NETWORK_RATIO / rw, 2)}x; CPU ${fmt(rwc, 1)}x)`;
  }
  say(`| ${net} | ${fmt(median(row.ours))} (${fmt(median(row.oursCpu))}) | ` +
    `${fmt(median(row.wasm))} (${fmt(median(row.wasmCpu))}) | ` +
    `${fmt(rw, 1)}x | ${fmt(rwc, 1)}x | ${verdict} | ` +
    `${fmt(median(row.cpu))} (${fmt(median(row.cpuCpu))}) | ` +
    `${fmt(median(row.rCpu), 1)}x | ${fmt(median(row.rCpuCpu), 1)}x |`);
}
say();
say(`Our kernels: ${isaUsed || '-'}. Load average (1 min) at the start of ` +
  `the reference runs: ${fmt(Math.min(...loads), 1)} to ` +
  `${fmt(Math.max(...loads), 1)}.`);
say();

// ---------------------------------------------------------------- pipeline
say('## Pipeline per photo, one thread, SSD: reference / ours, same round');
say();
say('Decoding is left out of both sides (the reference gets our decoded ' +
  'pixels); ours = detect + landmarks + align + attributes.');
say();
say('| photo | faces ours / ref | decode | ours | per face | wasm | ' +
  `wasm/ours wall | wasm/ours CPU | target ${TARGET_PIPELINE_RATIO}x |`);
say('|---|---|---|---|---|---|---|---|---|');
for (const photo of photos) {
  const row = { ours: [], oursCpu: [], decode: [], wasm: [], wasmCpu: [],
    r: [], rCpu: [], perFace: [] };
  let facesOurs = '-';
  let facesRef = '-';
  let matches = true;
  for (const r of rounds) {
    const ours = oursBlock(readJson(`pipe-${r}-${photo}-ours.json`));
    const p = ours && ours.pipeline && ours.pipeline[photo];
    if (!p || !p.analyse) continue;
    facesOurs = p.faces;
    matches = matches && p.matches_api;
    row.ours.push(p.analyse.median_ms);
    row.oursCpu.push(p.analyse.cpu_median_ms);
    row.decode.push(p.decode.median_ms);
    row.perFace.push(p.per_face_ms);
    const b = theirsBackend(readJson(`pipe-${r}-${photo}-wasm.json`), 'wasm');
    const t = b && b.pipeline && b.pipeline[photo];
    if (!t) continue;
    facesRef = t.faces;
    row.wasm.push(t.median_ms);
    row.wasmCpu.push(t.cpu_median_ms);
    row.r.push(t.median_ms / p.analyse.median_ms);
    row.rCpu.push(t.cpu_median_ms / p.analyse.cpu_median_ms);
  }
  const rw = median(row.r);
  const met = Number.isFinite(rw) ? rw >= TARGET_PIPELINE_RATIO : null;
  let verdict = mark(met);
  if (met === false) {
    verdict += ` (short by ${fmt(TARGET_PIPELINE_RATIO / rw, 2)}x)`;
  }
  say(`| ${photo} | ${facesOurs} / ${facesRef}${matches ? '' : ' (!)'} | ` +
    `${fmt(median(row.decode))} | ${fmt(median(row.ours))} ` +
    `(${fmt(median(row.oursCpu))}) | ${fmt(median(row.perFace))} | ` +
    `${fmt(median(row.wasm))} (${fmt(median(row.wasmCpu))}) | ` +
    `${fmt(rw, 1)}x | ${fmt(median(row.rCpu), 1)}x | ${verdict} |`);
}
say();

// ---------------------------------------------------------------- our side
const all = readJson('ours-all.json');
if (all) {
  say('## Ours alone: every ISA, 1 and 2 threads');
  say();
  say('Median ms (process CPU ms) and GFLOP/s (2 x MACs / wall median).');
  say();
  const isas = all.isas.filter((i) => i.by_threads);
  const header = ['network', 'MMAC'];
  for (const i of isas) {
    for (const t of i.by_threads) header.push(`${i.isa} ${t.threads}t`);
  }
  say(`| ${header.join(' | ')} |`);
  say(`|${header.map(() => '---').join('|')}|`);
  const names = Object.keys(isas[0].by_threads[0].networks);
  for (const net of names) {
    const first = isas[0].by_threads[0].networks[net];
    const cells = [net, fmt(first.macs / 1e6, 0)];
    for (const i of isas) {
      for (const t of i.by_threads) {
        const n = t.networks[net];
        cells.push(n && n.time ? `${fmt(n.time.median_ms)} ` +
          `(${fmt(n.time.cpu_median_ms)}) ${fmt(n.gflops, 1)}` : '-');
      }
    }
    say(`| ${cells.join(' | ')} |`);
  }
  say();
  say('Model read + build, ms (best ISA, first thread count): ' +
    names.map((net) => {
      const i = isas[isas.length - 1].by_threads[0].networks[net];
      return `${net} ${fmt(i.read_ms, 1)} + ${fmt(i.build_ms, 1)}`;
    }).join(', ') + '.');
  say();
  say('Pipeline stages on the first photo (median ms, wall clock, with ' +
    'the process CPU time in brackets; per face = total / faces, wall):');
  say();
  say('| detector | ISA | threads | faces | decode | detect | landmarks | ' +
    'align | attributes | total | per face | engine load | peak RSS MiB |');
  say('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  const tinyDoc = readJson('ours-tiny.json');
  const withTiny = isas.map((i) => ['ssd', i]).concat(
    tinyDoc ? tinyDoc.isas.filter((i) => i.by_threads)
      .map((i) => ['tiny', i]) : []);
  for (const [detector, i] of withTiny) {
    for (const t of i.by_threads) {
      for (const [photo, p] of Object.entries(t.pipeline || {})) {
        if (!p.analyse) continue;
        say(`| ${detector} | ${i.isa} | ${t.threads} | ` +
          `${p.faces} (${photo}) | ` +
          `${both(p.decode)} | ${both(p.detect)} | ` +
          `${both(p.landmarks)} | ${both(p.align)} | ` +
          `${both(p.attributes)} | ${both(p.analyse)} | ` +
          `${fmt(p.per_face_ms)} | ` +
          `${fmt(t.engine_load_ms, 0)} | ${fmt(i.peak_rss_kib / 1024, 1)} |`);
      }
    }
  }
  say();
}

// ---------------------------------------------------------------- targets
function pipelineOf(doc, threads) {
  if (!doc || !doc.isas || !doc.isas.length) return null;
  const i = doc.isas[doc.isas.length - 1];
  const t = (i.by_threads || []).find((x) => x.threads === threads);
  if (!t || !t.pipeline) return null;
  const entry = Object.entries(t.pipeline)[0];
  return entry ? { isa: i.isa, photo: entry[0], ...entry[1] } : null;
}

function rssMib(detector) {
  const file = path.join(dir, `rss-${detector}.txt`);
  if (!fs.existsSync(file)) return NaN;
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(
    fs.readFileSync(file, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

say('## Absolute targets (best ISA)');
say();
say('| target | measured wall | measured CPU | verdict |');
say('|---|---|---|---|');
function target(label, wall, cpu, limit, below = true) {
  const ok = Number.isFinite(wall) ? (below ? wall < limit : wall >= limit)
    : null;
  const okCpu = Number.isFinite(cpu) ? (below ? cpu < limit : cpu >= limit)
    : null;
  let verdict = mark(ok);
  if (ok === false) {
    verdict += below ? ` by ${fmt(wall - limit)} (${fmt(wall / limit, 2)}x)`
      : ` (${fmt(wall, 2)} of ${limit})`;
    if (okCpu) verdict += '; met on CPU time';
  }
  say(`| ${label} | ${fmt(wall)} | ${fmt(cpu)} | ${verdict} |`);
}
const tiny = pipelineOf(readJson('ours-tiny.json'), 1);
const ssd = pipelineOf(all, 1);
if (tiny) {
  target(`tiny detector, ${tiny.photo} (${tiny.faces} faces), ms ` +
    `without decode (decode ${fmt(tiny.decode.median_ms)})`,
  tiny.analyse.median_ms, tiny.analyse.cpu_median_ms, TARGET_TINY_MS);
}
if (ssd) {
  target(`SSD, ${ssd.photo} (${ssd.faces} faces), ms without decode`,
    ssd.analyse.median_ms, ssd.analyse.cpu_median_ms, TARGET_SSD_MS);
}
const desc = networkRatios.face_recognition;
if (desc) {
  target('face_recognition network, ms', desc.ours, desc.oursCpu,
    TARGET_DESCRIPTOR_MS);
}
for (const detector of ['ssd', 'tiny']) {
  for (const suffix of ['', '-descriptor']) {
    const mib = rssMib(`${detector}${suffix}`);
    if (!Number.isFinite(mib)) continue;
    target(`peak RSS of dager --detector ${detector}` +
      `${suffix ? ' --descriptor' : ''} on the first photo, MiB`,
    mib, NaN, TARGET_RSS_MIB);
  }
}
for (const [label, doc] of [['SSD', all],
  ['tiny', readJson('ours-tiny.json')]]) {
  const one = pipelineOf(doc, 1);
  const two = pipelineOf(doc, 2);
  if (one && two) {
    target(`one photo on 2 threads / 1 thread (latency), ${label} ` +
      `pipeline, ${one.photo}`, one.analyse.median_ms / two.analyse.median_ms,
    NaN, TARGET_THREAD_SPEEDUP, false);
  }
}
const throughput = readJson('throughput.json');
if (throughput && Number.isFinite(throughput.ratio)) {
  target(`photos per second, 2 sessions on 2 threads / 1 on 1 ` +
    `(throughput, SSD, ${throughput.photos} photos, ` +
    `${fmt(throughput.photos_per_second_1)} -> ` +
    `${fmt(throughput.photos_per_second_n)}/s)`, throughput.ratio, NaN,
  TARGET_THREAD_SPEEDUP, false);
}
say();
const profile = path.join(dir, 'profile.txt');
if (fs.existsSync(profile)) {
  say('## Where the time goes (bench_pipeline --profile)');
  say();
  say('```');
  say(fs.readFileSync(profile, 'utf8').trimEnd());
  say('```');
  say();
}
const memory = path.join(dir, 'memory.txt');
if (fs.existsSync(memory)) {
  say('## Where the memory goes (bench_pipeline --memory, all seven ' +
    'models)');
  say();
  say('```');
  say(fs.readFileSync(memory, 'utf8').trimEnd());
  say('```');
  say();
}
process.stdout.write(`${out.join('\n')}\n`);
