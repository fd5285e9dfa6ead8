#!/usr/bin/env node
'use strict';

// Checks that the committed reference fixtures are complete and agree with
// each other: every raw file has the size its shape says, networks.txt and
// networks.json list the same outputs, and pipeline.txt parses into the
// records pipeline.json summarises. Needs no npm packages.
// usage: check-fixtures.js [FIXTURE_DIR]   (default tests/fixtures/reference)

const fs = require('fs');
const path = require('path');

const dir = process.argv[2] ||
  path.resolve(__dirname, '..', '..', 'tests', 'fixtures', 'reference');

const EXPECTED_OUTPUTS = {
  ssd_mobilenetv1: [0, 1, 2, 3, 4, 5].flatMap(
    (i) => [`box_encodings_${i}`, `class_predictions_${i}`]),
  tiny_face_detector: ['grid'],
  face_landmark_68: ['landmarks'],
  face_landmark_68_tiny: ['landmarks'],
  age_gender: ['age', 'gender'],
  face_expression: ['expressions'],
  face_recognition: ['descriptor'],
};

let failures = 0;
let checks = 0;

function check(condition, message) {
  checks++;
  if (!condition) {
    failures++;
    process.stdout.write(`FAIL ${message}\n`);
  }
}

function checkNetworks() {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir,
    'networks.json'), 'utf8'));
  const lines = fs.readFileSync(path.join(dir, 'networks.txt'), 'utf8')
    .split('\n').filter((l) => l && !l.startsWith('#'));
  const listed = new Set();
  for (const line of lines) {
    const [model, output, file, rankText, ...dims] = line.split(' ');
    const shape = dims.map(Number);
    check(Number(rankText) === shape.length, `${line}: rank`);
    const record = manifest.networks[model] &&
      manifest.networks[model].outputs[output];
    check(record, `${model}.${output} missing from networks.json`);
    if (!record) continue;
    check(record.file === file && record.shape.join() === shape.join(),
      `${model}.${output}: networks.txt and networks.json disagree`);
    const count = shape.reduce((a, b) => a * b, 1);
    const bytes = fs.statSync(path.join(dir, file)).size;
    check(bytes === count * 4, `${file}: ${bytes} bytes, shape wants ` +
      `${count * 4}`);
    const raw = fs.readFileSync(path.join(dir, file));
    const data = new Float32Array(raw.buffer.slice(raw.byteOffset,
      raw.byteOffset + raw.length));
    let maxAbs = 0;
    let finite = true;
    for (const v of data) {
      if (!Number.isFinite(v)) finite = false;
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    check(finite, `${file}: non-finite values`);
    check(Math.fround(record.max_abs) === maxAbs,
      `${file}: max_abs ${record.max_abs} but the data has ${maxAbs}`);
    check(record.cpu_relative_diff === undefined ||
      record.cpu_relative_diff <= 1e-5,
    `${model}.${output}: cpu and wasm backends differ by ` +
      `${record.cpu_relative_diff} relative`);
    listed.add(`${model}.${output}`);
  }
  for (const [model, outputs] of Object.entries(EXPECTED_OUTPUTS)) {
    for (const output of outputs) {
      check(listed.has(`${model}.${output}`), `${model}.${output} not listed`);
    }
  }
  const ssd = EXPECTED_OUTPUTS.ssd_mobilenetv1.filter(
    (o) => o.startsWith('box')).reduce((sum, o) => {
    const shape = manifest.networks.ssd_mobilenetv1.outputs[o].shape;
    return sum + (shape[0] * shape[1] * shape[2]) / 4;
  }, 0);
  check(ssd === 5118, `SSD predictors cover ${ssd} anchors, not 5118`);
}

function numbers(fields, count, what) {
  const values = fields.map(Number);
  check(values.length === count && values.every(Number.isFinite),
    `pipeline.txt: ${what} wants ${count} finite numbers, has ` +
    `"${fields.join(' ')}"`.slice(0, 200));
  return values;
}

function checkPipeline() {
  const jsonPath = path.join(dir, 'pipeline.json');
  if (!fs.existsSync(jsonPath)) return;
  const summary = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const images = [];
  let image = null;
  let face = null;
  const text = fs.readFileSync(path.join(dir, 'pipeline.txt'), 'utf8');
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [key, ...fields] = line.split(' ');
    if (key === 'image') {
      image = { name: fields[0], width: Number(fields[1]),
        height: Number(fields[2]), sha256: fields[3],
        count: Number(fields[4]), faces: [] };
    } else if (key === 'face') {
      face = { values: numbers(fields, 6, 'face') };
      image.faces.push(face);
    } else if (key === 'landmarks') {
      face.landmarks = numbers(fields, 136, 'landmarks');
    } else if (key === 'aligned_box') {
      face.aligned = numbers(fields, 4, 'aligned_box');
    } else if (key === 'age') {
      face.age = numbers(fields, 1, 'age')[0];
    } else if (key === 'gender') {
      check(fields[0] === 'male' || fields[0] === 'female',
        `pipeline.txt: gender ${fields[0]}`);
      face.gender = fields[0];
      const p = numbers(fields.slice(1), 1, 'gender')[0];
      check(p >= 0.5 && p <= 1, `pipeline.txt: gender probability ${p}`);
    } else if (key === 'expressions') {
      const p = numbers(fields, 7, 'expressions');
      const sum = p.reduce((a, b) => a + b, 0);
      check(Math.abs(sum - 1) < 1e-5, `pipeline.txt: expressions sum ${sum}`);
    } else if (key === 'descriptor') {
      face.descriptor = numbers(fields, 128, 'descriptor');
    } else if (key === 'end') {
      check(image && image.faces.length === image.count,
        `pipeline.txt: ${image && image.name} lists ${image &&
          image.faces.length} faces, header says ${image && image.count}`);
      images.push(image);
      image = null;
    } else {
      check(false, `pipeline.txt: unknown record ${key}`);
    }
  }
  check(image === null, 'pipeline.txt: last image has no end line');
  check(images.length === summary.images.length && images.length > 0,
    `pipeline.txt has ${images.length} images, pipeline.json ` +
    `${summary.images.length}`);
  images.forEach((img, i) => {
    const s = summary.images[i];
    if (!s) return;
    check(s.name === img.name && s.pixels_sha256 === img.sha256 &&
      s.faces === img.faces.length && s.width === img.width &&
      s.height === img.height, `${img.name}: pipeline.txt and ` +
      'pipeline.json disagree');
    img.faces.forEach((f, j) => {
      check(f.landmarks && f.descriptor && f.aligned && f.age !== undefined,
        `${img.name} face ${j}: incomplete record`);
      check(s.genders[j] === f.gender, `${img.name} face ${j}: gender`);
      const [, , x, y, w, h] = f.values;
      check(x >= 0 && y >= 0 && x + w <= img.width + 1e-3 &&
        y + h <= img.height + 1e-3, `${img.name} face ${j}: box outside`);
    });
  });
}

checkNetworks();
checkPipeline();
process.stdout.write(`check-fixtures: ${checks - failures} passed, ` +
  `${failures} failed\n`);
process.exit(failures ? 1 : 0);
