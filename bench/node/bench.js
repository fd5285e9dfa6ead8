#!/usr/bin/env node
'use strict';

// Times @vladmandic/face-api 1.7.15 on tfjs 4.22.0 (wasm backend with one
// thread, and the plain JavaScript cpu backend) on the same seven networks
// and fixed inputs as libdager's benchmark, and the whole face-api pipeline
// per photo. Prints one JSON document on stdout; progress goes to stderr.

const fs = require('fs');
const os = require('os');
const path = require('path');

const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const core = require('../../tools/reference/reference-core.js');

function usage() {
  process.stderr.write(
    'usage: bench.js --models DIR [--images DIR] [--backends wasm,cpu]\n' +
    '                [--networks name,...] [--warmup N] [--runs N]\n' +
    '                [--pipeline-warmup N] [--pipeline-runs N]\n' +
    'defaults: wasm warm-up 3, runs 15, pipeline 1 + 3; ' +
    'cpu warm-up 1, runs 5, pipeline 1 + 1\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { models: null, images: null, backends: ['wasm', 'cpu'],
    networks: core.NETWORKS.map((n) => n.model), warmup: null, runs: null,
    pipelineWarmup: null, pipelineRuns: null };
  const count = (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 0) usage();
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = i + 1 < argv.length ? argv[i + 1] : null;
    if (value === null) usage();
    i++;
    if (a === '--models') args.models = value;
    else if (a === '--images') args.images = value;
    else if (a === '--backends') args.backends = value.split(',');
    else if (a === '--networks') {
      args.networks = value === 'none' ? [] : value.split(',');
    } else if (a === '--warmup') args.warmup = count(value);
    else if (a === '--runs') args.runs = count(value);
    else if (a === '--pipeline-warmup') args.pipelineWarmup = count(value);
    else if (a === '--pipeline-runs') args.pipelineRuns = count(value);
    else usage();
  }
  if (!args.models || args.runs === 0 || args.pipelineRuns === 0) usage();
  for (const b of args.backends) if (b !== 'wasm' && b !== 'cpu') usage();
  const known = new Set(core.NETWORKS.map((n) => n.model));
  for (const n of args.networks) {
    if (!known.has(n)) {
      process.stderr.write(`unknown network ${n}\n`);
      usage();
    }
  }
  return args;
}

// Nearest-rank percentile of an ascending array.
function percentile(sorted, p) {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (v) => Math.round(v * 1000) / 1000;

// times: wall-clock milliseconds; cpuTimes: this process's user + system
// CPU milliseconds over the same calls. On a busy machine the wall clock
// grows while the CPU time stays put, which shows how noisy a run was.
function summary(times, cpuTimes) {
  const sorted = times.slice().sort((a, b) => a - b);
  const cpuSorted = cpuTimes.slice().sort((a, b) => a - b);
  return { runs: sorted.length, median_ms: round(median(sorted)),
    p90_ms: round(percentile(sorted, 90)), min_ms: round(sorted[0]),
    max_ms: round(sorted[sorted.length - 1]),
    cpu_median_ms: round(median(cpuSorted)) };
}

// Runs fn once and returns [wall ms, process CPU ms].
async function measure(fn) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  return [wall, (cpu.user + cpu.system) / 1000];
}

// One timed call of a network's own public forward function, including
// reading its outputs back (which is when tfjs has certainly finished).
function forwardOnce(network, netInput) {
  const net = faceapi.nets[network.net];
  const tensors = [];
  switch (network.model) {
    case 'ssd_mobilenetv1': {
      const out = net.forwardInput(netInput);
      tensors.push(...out.boxes, ...out.scores);
      break;
    }
    case 'tiny_face_detector':
      tensors.push(net.forwardInput(netInput, network.inputSize));
      break;
    case 'age_gender': {
      const out = net.forwardInput(netInput);
      tensors.push(out.age, out.gender);
      break;
    }
    default:
      tensors.push(net.forwardInput(netInput));
  }
  for (const t of tensors) t.dataSync();
  for (const t of tensors) t.dispose();
}

async function timeNetwork(network, warmup, runs) {
  const pattern = core.makePattern(network.inputSize);
  const input = tf.tensor3d(pattern.data,
    [network.inputSize, network.inputSize, 3], 'float32');
  const netInput = await faceapi.toNetInput(input);
  for (let i = 0; i < warmup; i++) forwardOnce(network, netInput);
  const times = [];
  const cpuTimes = [];
  for (let i = 0; i < runs; i++) {
    const [wall, cpu] = await measure(() => forwardOnce(network, netInput));
    times.push(wall);
    cpuTimes.push(cpu);
  }
  input.dispose();
  return { input: [network.inputSize, network.inputSize, 3],
    ...summary(times, cpuTimes) };
}

async function timePipeline(file, warmup, runs) {
  const image = core.readPpm(file);
  const tensor = core.imageTensor(tf, image);
  let faces = 0;
  for (let i = 0; i < warmup; i++) await core.runPipeline(faceapi, tensor);
  const times = [];
  const cpuTimes = [];
  for (let i = 0; i < runs; i++) {
    const [wall, cpu] = await measure(async () => {
      faces = (await core.runPipeline(faceapi, tensor)).length;
    });
    times.push(wall);
    cpuTimes.push(cpu);
  }
  tensor.dispose();
  const s = summary(times, cpuTimes);
  return { width: image.width, height: image.height,
    pixels_sha256: image.sha256, faces, ...s,
    median_ms_per_face: faces ? Math.round((s.median_ms / faces) * 1000) /
      1000 : null };
}

// Defaults per backend: tfjs' cpu backend is about 25 times slower than
// wasm here (SSD about 9 s a call), so it gets fewer runs unless told.
const DEFAULT_COUNTS = {
  wasm: { warmup: 3, runs: 15, pipelineWarmup: 1, pipelineRuns: 3 },
  cpu: { warmup: 1, runs: 5, pipelineWarmup: 1, pipelineRuns: 1 },
};

function counts(args, backend) {
  const d = DEFAULT_COUNTS[backend];
  const pick = (value, fallback) => (value === null ? fallback : value);
  return { warmup: pick(args.warmup, d.warmup), runs: pick(args.runs, d.runs),
    pipelineWarmup: pick(args.pipelineWarmup, d.pipelineWarmup),
    pipelineRuns: pick(args.pipelineRuns, d.pipelineRuns) };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const report = {
    tool: 'bench/node/bench.js',
    face_api: faceapi.version,
    tfjs: tf.version.tfjs,
    node: process.version,
    cpu: os.cpus()[0] ? os.cpus()[0].model : 'unknown',
    models: path.resolve(args.models),
    timing: 'wall clock (and process CPU time) per call of the ' +
      'network\'s own forwardInput, outputs read back with dataSync; ' +
      'median and nearest-rank p90 after warm-up; pipeline: ' +
      'detectAllFaces (SSD, minConfidence 0.5) withFaceLandmarks, ' +
      'withFaceExpressions, withAgeAndGender, ' +
      'withFaceDescriptors on a tensor of already decoded pixels',
    load_average_at_start: os.loadavg().map(round),
    backends: {},
  };
  const photos = args.images
    ? fs.readdirSync(args.images).filter((f) => f.endsWith('.ppm')).sort()
    : [];
  let loaded = false;
  for (const backend of args.backends) {
    await core.useBackend(tf, backend);
    const n = counts(args, backend);
    const entry = { info: await core.backendInfo(tf), warmup: n.warmup,
      pipeline_warmup: n.pipelineWarmup };
    if (!loaded) {
      // Weights load onto the first backend; tfjs moves them to a later one
      // on first use, which the warm-up runs absorb.
      const start = process.hrtime.bigint();
      await core.loadNetworks(faceapi, args.models);
      entry.model_load_ms = round(
        Number(process.hrtime.bigint() - start) / 1e6);
      loaded = true;
    }
    entry.networks = {};
    for (const name of args.networks) {
      const network = core.NETWORKS.find((n) => n.model === name);
      process.stderr.write(`bench ${backend} ${name}\n`);
      entry.networks[name] = await timeNetwork(network, n.warmup, n.runs);
    }
    entry.pipeline = {};
    for (const photo of photos) {
      process.stderr.write(`bench ${backend} pipeline ${photo}\n`);
      entry.pipeline[path.basename(photo, '.ppm')] = await timePipeline(
        path.join(args.images, photo), n.pipelineWarmup, n.pipelineRuns);
    }
    report.backends[backend] = entry;
  }
  report.load_average_at_end = os.loadavg().map(round);
  report.max_rss_kb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack || err}\n`);
  process.exit(1);
});
