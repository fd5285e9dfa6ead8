#!/usr/bin/env node
'use strict';

// Prints bench.js's JSON (read from stdin or the files named) as Markdown
// tables: one row per network and per photo, one column group per backend.

const fs = require('fs');

function read(files) {
  if (files.length === 0) return [JSON.parse(fs.readFileSync(0, 'utf8'))];
  return files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
}

function cell(entry) {
  if (!entry) return '-';
  return `${entry.median_ms} / ${entry.p90_ms} (${entry.cpu_median_ms})`;
}

const reports = read(process.argv.slice(2));
const columns = [];
for (const report of reports) {
  for (const [backend, entry] of Object.entries(report.backends)) {
    columns.push({ backend, entry, load: report.load_average_at_start[0] });
  }
}
const header = `| | ${columns.map((c) => `${c.backend} ms (load ` +
  `${c.load})`).join(' | ')} |`;
const rule = `|---|${columns.map(() => '---').join('|')}|`;
process.stdout.write('median / p90 (median process CPU time), ' +
  'milliseconds\n\n');
process.stdout.write(`${header}\n${rule}\n`);
const networks = new Set();
const photos = new Set();
for (const c of columns) {
  Object.keys(c.entry.networks || {}).forEach((n) => networks.add(n));
  Object.keys(c.entry.pipeline || {}).forEach((p) => photos.add(p));
}
for (const n of networks) {
  process.stdout.write(`| ${n} | ${columns.map((c) =>
    cell(c.entry.networks[n])).join(' | ')} |\n`);
}
for (const p of photos) {
  const faces = columns.map((c) => c.entry.pipeline[p])
    .find((e) => e) || {};
  process.stdout.write(`| pipeline ${p} (${faces.faces} faces) | ` +
    `${columns.map((c) => cell(c.entry.pipeline[p])).join(' | ')} |\n`);
}
