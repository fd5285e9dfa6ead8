#!/usr/bin/env node
'use strict';

// Writes libdager's reference fixtures from @vladmandic/face-api 1.7.15 on
// tfjs 4.22.0 (wasm backend, one thread), and checks that tfjs' plain cpu
// backend agrees. Usage: see tools/reference/run.sh and
// tests/fixtures/README.md.

const fs = require('fs');
const path = require('path');

const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
// The node-wasm build binds face-api to the tfjs above; the package's
// default entry point wants the native tfjs-node, which we do not use.
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const core = require('./reference-core.js');

const projectRoot = path.resolve(__dirname, '..', '..');

function usage() {
  process.stderr.write(
    'usage: make-fixtures.js [--models DIR] [--images DIR] [--out DIR]\n' +
    '                        [--no-cpu-check]\n' +
    '  --models DIR   face-api model folder (default: third_party/face-api/' +
    'model,\n' +
    '                 else the one inside node_modules)\n' +
    '  --images DIR   folder of binary PPM (P6) photos decoded by libdager;\n' +
    '                 without it only the network fixtures are written\n' +
    '  --decoder TEXT what decoded the PPMs (recorded; required with ' +
    '--images)\n' +
    '  --out DIR      output folder (default: tests/fixtures/reference)\n');
  process.exit(2);
}

function parseArgs(argv) {
  const args = { models: null, images: null,
    out: path.join(projectRoot, 'tests', 'fixtures', 'reference'),
    cpuCheck: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--models' && i + 1 < argv.length) args.models = argv[++i];
    else if (a === '--images' && i + 1 < argv.length) args.images = argv[++i];
    else if (a === '--out' && i + 1 < argv.length) args.out = argv[++i];
    else if (a === '--decoder' && i + 1 < argv.length) {
      args.decoder = argv[++i];
    }
    else if (a === '--no-cpu-check') args.cpuCheck = false;
    else usage();
  }
  if (args.images && !args.decoder) usage();
  if (!args.models) args.models = core.defaultModelsDir(projectRoot, __dirname);
  return args;
}

function writeFloat32(file, data) {
  const buffer = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) buffer.writeFloatLE(data[i], i * 4);
  fs.writeFileSync(file, buffer);
}

function maxAbs(data) {
  let m = 0;
  for (const v of data) m = Math.max(m, Math.abs(v));
  return m;
}

function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function networkOutputs(backend) {
  await core.useBackend(tf, backend);
  const results = {};
  for (const network of core.NETWORKS) {
    const pattern = core.makePattern(network.inputSize);
    const input = tf.tensor3d(pattern.data,
      [network.inputSize, network.inputSize, 3], 'float32');
    results[network.model] = {
      inputSum: pattern.sum,
      outputs: await core.runNetwork(tf, faceapi, network, input),
    };
    input.dispose();
  }
  return results;
}

function listPpms(dir) {
  return fs.readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.ppm'))
    .sort();
}

async function pipelineResults(backend, imagesDir) {
  await core.useBackend(tf, backend);
  const results = [];
  for (const file of listPpms(imagesDir)) {
    const image = core.readPpm(path.join(imagesDir, file));
    const tensor = core.imageTensor(tf, image);
    const faces = await core.runPipeline(faceapi, tensor);
    tensor.dispose();
    results.push({ name: path.basename(file, path.extname(file)),
      width: image.width, height: image.height,
      pixels_sha256: image.sha256, faces: core.describeFaces(faces) });
  }
  return results;
}

function comparePipelines(a, b) {
  const worst = { face_count_mismatches: 0, box: 0, landmarks: 0, age: 0,
    gender_probability: 0, expressions: 0, descriptor: 0 };
  a.forEach((image, i) => {
    const other = b[i];
    if (image.faces.length !== other.faces.length) {
      worst.face_count_mismatches++;
      return;
    }
    image.faces.forEach((f, j) => {
      const g = other.faces[j];
      const box = (r) => [r.x, r.y, r.width, r.height];
      worst.box = Math.max(worst.box, maxAbsDiff(box(f.box), box(g.box)));
      worst.landmarks = Math.max(worst.landmarks,
        maxAbsDiff(f.landmarks.flat(), g.landmarks.flat()));
      worst.age = Math.max(worst.age, Math.abs(f.age - g.age));
      worst.gender_probability = Math.max(worst.gender_probability,
        f.gender === g.gender
          ? Math.abs(f.gender_probability - g.gender_probability) : Infinity);
      worst.expressions = Math.max(worst.expressions,
        maxAbsDiff(f.expressions, g.expressions));
      worst.descriptor = Math.max(worst.descriptor,
        maxAbsDiff(f.descriptor, g.descriptor));
    });
  });
  return worst;
}

function number(v) {
  // The fewest digits that read back (strtof) as the same float32. The
  // network outputs are float32 already; boxes and landmarks are doubles in
  // face-api, and float32 keeps them to 1e-4 pixel, far below the
  // tolerances.
  const target = Math.fround(v);
  for (let digits = 1; digits < 9; digits++) {
    const text = target.toPrecision(digits);
    if (Math.fround(Number(text)) === target) return String(Number(text));
  }
  return String(Number(target.toPrecision(9)));
}

function pipelineText(results, meta) {
  const lines = [
    '# libdager reference pipeline results; format in ' +
      'tests/fixtures/README.md',
    `# generator ${meta.generator}`,
    `# face-api ${meta.face_api} tfjs ${meta.tfjs} backend ${meta.backend}`,
    `# pixels decoded by ${meta.images_decoder}`,
  ];
  for (const image of results) {
    lines.push(`image ${image.name} ${image.width} ${image.height} ` +
      `${image.pixels_sha256} ${image.faces.length}`);
    image.faces.forEach((f, i) => {
      const b = f.box;
      lines.push(`face ${i} ${number(f.score)} ${number(b.x)} ` +
        `${number(b.y)} ${number(b.width)} ${number(b.height)}`);
      lines.push(`landmarks ${f.landmarks.flat().map(number).join(' ')}`);
      const a = f.aligned_box;
      lines.push(`aligned_box ${number(a.x)} ${number(a.y)} ` +
        `${number(a.width)} ${number(a.height)}`);
      lines.push(`age ${number(f.age)}`);
      lines.push(`gender ${f.gender} ${number(f.gender_probability)}`);
      lines.push(`expressions ${f.expressions.map(number).join(' ')}`);
      lines.push(`descriptor ${f.descriptor.map(number).join(' ')}`);
    });
    lines.push('end');
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  await core.useBackend(tf, 'wasm');
  await core.loadNetworks(faceapi, args.models);
  const wasmInfo = await core.backendInfo(tf);
  const meta = {
    generator: 'tools/reference/make-fixtures.js',
    face_api: faceapi.version,
    tfjs: tf.version.tfjs,
    'tfjs-core': tf.version['tfjs-core'],
    'tfjs-backend-wasm': wasmInfo.tfjs,
    backend: `wasm (simd ${wasmInfo.simd}, threads ${wasmInfo.threads})`,
    node: process.version,
    models: 'model folder of npm @vladmandic/face-api 1.7.15',
  };
  process.stderr.write(`reference: face-api ${meta.face_api}, tfjs ` +
    `${meta.tfjs}, ${meta.backend}, models ${args.models}\n`);

  const wasm = await networkOutputs('wasm');
  const again = await networkOutputs('wasm');
  const cpu = args.cpuCheck ? await networkOutputs('cpu') : null;

  const manifest = { meta, input: {
    formula: '(3*x*x + 5*(c+1)*y*y + 7*x*(y+1) + 61*c) mod 256, ' +
      'x column, y row, c channel (0 R, 1 G, 2 B), HWC order, float32',
    note: 'fed to each network\'s own forward function at its input size, ' +
      'so face-api only normalises it (no padding, no resize)',
  }, networks: {} };
  const textLines = [
    '# model output file rank dims... (raw little-endian float32, HWC)',
  ];
  for (const network of core.NETWORKS) {
    const entry = wasm[network.model];
    const record = { input_size: network.inputSize,
      input_sum: entry.inputSum,
      normalisation: core.NORMALISATION[network.model], outputs: {} };
    for (const [name, out] of Object.entries(entry.outputs)) {
      const file = `${network.model}.${name}.f32`;
      writeFloat32(path.join(args.out, file), out.data);
      const scale = maxAbs(out.data);
      const rerun = maxAbsDiff(out.data,
        again[network.model].outputs[name].data);
      const o = { file, shape: out.shape, max_abs: scale,
        wasm_rerun_max_abs_diff: rerun };
      if (cpu) {
        const diff = maxAbsDiff(out.data,
          cpu[network.model].outputs[name].data);
        o.cpu_max_abs_diff = diff;
        o.cpu_relative_diff = scale > 0 ? diff / scale : diff;
      }
      record.outputs[name] = o;
      textLines.push(`${network.model} ${name} ${file} ${out.shape.length} ` +
        `${out.shape.join(' ')}`);
      process.stderr.write(`  ${network.model}.${name} [${out.shape}] ` +
        `max|x| ${scale.toPrecision(4)}` + (cpu ? ` cpu rel diff ` +
        `${o.cpu_relative_diff.toExponential(2)}` : '') + '\n');
    }
    manifest.networks[network.model] = record;
  }
  fs.writeFileSync(path.join(args.out, 'networks.json'),
    `${JSON.stringify(manifest, null, 1)}\n`);
  fs.writeFileSync(path.join(args.out, 'networks.txt'),
    `${textLines.join('\n')}\n`);

  if (args.images) {
    const results = await pipelineResults('wasm', args.images);
    const pipeline = { meta: { ...meta, options:
      'SsdMobilenetv1Options minConfidence 0.5 (IoU 0.5, maxResults 100); ' +
      'withFaceLandmarks (68 full), withFaceExpressions, withAgeAndGender, ' +
      'withFaceDescriptors', images_from: path.resolve(args.images),
    images_decoder: args.decoder, expression_order: core.EXPRESSION_ORDER },
    images: results };
    if (cpu) {
      const cpuResults = await pipelineResults('cpu', args.images);
      pipeline.meta.cpu_max_abs_diff = comparePipelines(results, cpuResults);
      process.stderr.write(`  pipeline cpu vs wasm: ` +
        `${JSON.stringify(pipeline.meta.cpu_max_abs_diff)}\n`);
    }
    for (const image of results) {
      process.stderr.write(`  ${image.name}: ${image.width}x${image.height}` +
        ` ${image.faces.length} faces\n`);
    }
    // The values go into pipeline.txt only; the JSON keeps what a person
    // or a script wants to check first, and stays small.
    pipeline.images = results.map((image) => ({ name: image.name,
      width: image.width, height: image.height,
      pixels_sha256: image.pixels_sha256, faces: image.faces.length,
      scores: image.faces.map((f) => Number(number(f.score))),
      ages: image.faces.map((f) => Number(number(f.age))),
      genders: image.faces.map((f) => f.gender) }));
    fs.writeFileSync(path.join(args.out, 'pipeline.json'),
      `${JSON.stringify(pipeline, null, 1)}\n`);
    fs.writeFileSync(path.join(args.out, 'pipeline.txt'),
      pipelineText(results, { ...meta, images_decoder: args.decoder }));
  }
}

main().catch((err) => {
  process.stderr.write(`make-fixtures: ${err.stack || err}\n`);
  process.exit(1);
});
