'use strict';

// Shared by tools/reference/make-fixtures.js and bench/node/bench.js.
// The caller passes its own tf and faceapi modules in, so each of the two
// npm projects runs on the packages pinned in its own lock file.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

// The seven networks, under libdager's fixed model names. "inputSize" is
// the square side the network's own forward function expects; giving it a
// tensor of exactly that size makes face-api skip padding and resizing, so
// only its normalisation runs before the layers.
const NETWORKS = [
  { model: 'ssd_mobilenetv1', net: 'ssdMobilenetv1', inputSize: 512 },
  { model: 'tiny_face_detector', net: 'tinyFaceDetector', inputSize: 416 },
  { model: 'face_landmark_68', net: 'faceLandmark68Net', inputSize: 112 },
  { model: 'face_landmark_68_tiny', net: 'faceLandmark68TinyNet',
    inputSize: 112 },
  { model: 'age_gender', net: 'ageGenderNet', inputSize: 112 },
  { model: 'face_expression', net: 'faceExpressionNet', inputSize: 112 },
  { model: 'face_recognition', net: 'faceRecognitionNet', inputSize: 150 },
];

// How each network normalises its float RGB input before the first layer
// (facts read from face-api 1.7.15's sources, recorded in the fixtures so
// the C side can apply the same float32 operations in the same order).
const NORMALISATION = {
  ssd_mobilenetv1: 'x / 127.5 - 1 (divide, then subtract), float32',
  tiny_face_detector:
    '(x - [117.001, 114.697, 97.404]) / 255 (subtract, then divide), float32',
  face_landmark_68:
    '(x - [122.782, 117.001, 104.298]) / 255 (subtract, then divide), float32',
  face_landmark_68_tiny:
    '(x - [122.782, 117.001, 104.298]) / 255 (subtract, then divide), float32',
  age_gender:
    '(x - [122.782, 117.001, 104.298]) / 255 (subtract, then divide), float32',
  face_expression:
    '(x - [122.782, 117.001, 104.298]) / 255 (subtract, then divide), float32',
  face_recognition:
    '(x - [122.782, 117.001, 104.298]) / 255 (subtract, then divide), float32',
};

const EXPRESSION_ORDER = ['neutral', 'happy', 'sad', 'angry', 'fearful',
  'disgusted', 'surprised'];

// The fixed test input: integer "pixel" values in 0..255, so that any
// language regenerates it bit for bit (no transcendental functions whose
// last bit differs between libm implementations). Documented in
// tests/fixtures/README.md; change both together.
function patternValue(y, x, c) {
  return (3 * x * x + 5 * (c + 1) * y * y + 7 * x * (y + 1) + 61 * c) % 256;
}

function makePattern(size) {
  const data = new Float32Array(size * size * 3);
  let sum = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        const v = patternValue(y, x, c);
        data[(y * size + x) * 3 + c] = v;
        sum += v;
      }
    }
  }
  return { data, sum };
}

async function useBackend(tf, backend) {
  if (backend === 'wasm') {
    // One thread, like the C side's single-thread numbers; SIMD stays on.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  if (tf.getBackend() !== backend) {
    throw new Error(`asked for backend ${backend}, got ${tf.getBackend()}`);
  }
}

async function backendInfo(tf) {
  const info = { backend: tf.getBackend(), tfjs: tf.version.tfjs,
    'tfjs-core': tf.version['tfjs-core'] };
  if (info.backend === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    const wasmModule = tf.backend().wasm;
    if (wasmModule && typeof wasmModule._get_threads_count === 'function') {
      info.threads = wasmModule._get_threads_count();
    }
  } else {
    info.threads = 1;
  }
  return info;
}

// Models come from the unpacked npm package: third_party/face-api/model
// (tools/fetch-models.sh) when present, else the copy inside node_modules,
// which is the same published tarball.
function defaultModelsDir(projectRoot, nodeModulesParent) {
  const fetched = path.join(projectRoot, 'third_party', 'face-api', 'model');
  if (fs.existsSync(fetched)) return fetched;
  return path.join(nodeModulesParent, 'node_modules', '@vladmandic',
    'face-api', 'model');
}

async function loadNetworks(faceapi, modelsDir) {
  for (const n of NETWORKS) {
    await faceapi.nets[n.net].loadFromDisk(modelsDir);
  }
}

// Runs `fn` while watching the backend's Concat kernel, and returns the
// outputs of that kernel whose shape `wanted` accepts. Used to read the SSD
// head's predictions between face-api's internal predictionLayer and its
// box decoding, which face-api does not export, without changing either.
function withConcatCapture(tf, wanted, fn) {
  const backendName = tf.getBackend();
  const original = tf.getKernel('Concat', backendName);
  if (!original) throw new Error(`no Concat kernel for ${backendName}`);
  const captured = [];
  tf.unregisterKernel('Concat', backendName);
  tf.registerKernel({
    kernelName: original.kernelName,
    backendName: original.backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const out = original.kernelFunc(args);
      if (wanted(out.shape)) {
        const values = args.backend.readSync(out.dataId);
        captured.push({ shape: out.shape.slice(),
          data: Float32Array.from(values) });
      }
      return out;
    },
  });
  let result;
  try {
    result = fn();
  } finally {
    tf.unregisterKernel('Concat', backendName);
    tf.registerKernel(original);
  }
  return { result, captured };
}

function sameShape(a, b) {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

// The SSD head's six predictors, in face-api's order: predictor 0 on the
// stride-16 feature map (layer 11 of MobileNet), 1..5 on the stride 32, 64,
// 128, 256 and 512 maps. face-api flattens each conv output (NHWC) and
// concatenates them, so splitting the concatenation by H*W*anchors gives
// each predictor's output back unchanged.
function ssdPredictorShapes(faceapi) {
  const layer = faceapi.nets.ssdMobilenetv1.params.prediction_layer;
  const sides = [32, 16, 8, 4, 2, 1];
  return sides.map((side, i) => {
    const p = layer[`box_predictor_${i}`];
    const boxChannels = p.box_encoding_predictor.filters.shape[3];
    const classChannels = p.class_predictor.filters.shape[3];
    return { side, anchors: boxChannels / 4, boxChannels, classChannels };
  });
}

function tensorOutput(tf, tensor, shape) {
  const data = Float32Array.from(tensor.dataSync());
  return { shape, data };
}

// Runs one network's own forward function on a [size, size, 3] float
// tensor and returns its raw outputs under libdager's fixed output names.
async function runNetwork(tf, faceapi, network, inputTensor) {
  const net = faceapi.nets[network.net];
  const netInput = await faceapi.toNetInput(inputTensor);
  const outputs = {};
  switch (network.model) {
    case 'ssd_mobilenetv1': {
      const shapes = ssdPredictorShapes(faceapi);
      const anchorsTotal = shapes.reduce(
        (s, p) => s + p.side * p.side * p.anchors, 0);
      const boxShape = [1, anchorsTotal, 1, 4];
      const classShape = [1, anchorsTotal, 3];
      const { result, captured } = withConcatCapture(tf,
        (shape) => sameShape(shape, boxShape) || sameShape(shape, classShape),
        () => net.forwardInput(netInput));
      const boxes = captured.filter((c) => sameShape(c.shape, boxShape));
      const classes = captured.filter((c) => sameShape(c.shape, classShape));
      if (boxes.length !== 1 || classes.length !== 1) {
        throw new Error(`SSD head capture found ${boxes.length} box and ` +
          `${classes.length} class tensors, expected one of each`);
      }
      // Check the capture against face-api's own decoded scores:
      // score = sigmoid(class logit 1).
      const scores = result.scores[0].dataSync();
      let worst = 0;
      for (let i = 0; i < anchorsTotal; i++) {
        const logit = classes[0].data[i * 3 + 1];
        const s = 1 / (1 + Math.exp(-logit));
        worst = Math.max(worst, Math.abs(s - scores[i]));
      }
      if (worst > 1e-5) {
        throw new Error(`captured SSD logits disagree with face-api's ` +
          `scores by ${worst}`);
      }
      result.boxes.forEach((t) => t.dispose());
      result.scores.forEach((t) => t.dispose());
      let boxOffset = 0;
      let classOffset = 0;
      shapes.forEach((p, i) => {
        const cells = p.side * p.side;
        const boxCount = cells * p.boxChannels;
        const classCount = cells * p.classChannels;
        outputs[`box_encodings_${i}`] = { shape: [p.side, p.side,
          p.boxChannels], data: boxes[0].data.slice(boxOffset,
          boxOffset + boxCount) };
        outputs[`class_predictions_${i}`] = { shape: [p.side, p.side,
          p.classChannels], data: classes[0].data.slice(classOffset,
          classOffset + classCount) };
        boxOffset += boxCount;
        classOffset += classCount;
      });
      break;
    }
    case 'tiny_face_detector': {
      const grid = net.forwardInput(netInput, network.inputSize);
      outputs.grid = tensorOutput(tf, grid, grid.shape.slice(1));
      grid.dispose();
      break;
    }
    case 'face_landmark_68':
    case 'face_landmark_68_tiny': {
      // runNet stops before face-api maps the 136 values to image
      // coordinates; that mapping is lib/face's job.
      const raw = net.runNet(netInput);
      outputs.landmarks = tensorOutput(tf, raw, [1, 1, raw.shape[1]]);
      raw.dispose();
      break;
    }
    case 'age_gender': {
      const out = net.forwardInput(netInput);
      outputs.age = tensorOutput(tf, out.age, [1, 1, 1]);
      outputs.gender = tensorOutput(tf, out.gender, [1, 1, 2]);
      out.age.dispose();
      out.gender.dispose();
      break;
    }
    case 'face_expression': {
      const out = net.forwardInput(netInput);
      outputs.expressions = tensorOutput(tf, out, [1, 1, 7]);
      out.dispose();
      break;
    }
    case 'face_recognition': {
      const out = net.forwardInput(netInput);
      outputs.descriptor = tensorOutput(tf, out, [1, 1, 128]);
      out.dispose();
      break;
    }
    default:
      throw new Error(`unknown network ${network.model}`);
  }
  return outputs;
}

// Binary PPM (P6, maxval 255) reader: the C side writes these from its own
// decoder so that the reference sees exactly our pixels.
function readPpm(file) {
  const bytes = fs.readFileSync(file);
  let pos = 0;
  const fields = [];
  while (fields.length < 4) {
    while (pos < bytes.length) {
      const ch = bytes[pos];
      if (ch === 0x23) { // '#': comment to end of line
        while (pos < bytes.length && bytes[pos] !== 0x0a) pos++;
      } else if (ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d) {
        pos++;
      } else {
        break;
      }
    }
    const start = pos;
    while (pos < bytes.length && bytes[pos] > 0x20) pos++;
    if (start === pos) throw new Error(`${file}: truncated PPM header`);
    fields.push(bytes.toString('latin1', start, pos));
  }
  pos++; // exactly one whitespace byte before the raster
  if (fields[0] !== 'P6') throw new Error(`${file}: not a binary PPM (P6)`);
  const width = Number(fields[1]);
  const height = Number(fields[2]);
  const maxval = Number(fields[3]);
  if (!(width > 0 && height > 0) || maxval !== 255) {
    throw new Error(`${file}: need width, height > 0 and maxval 255`);
  }
  const size = width * height * 3;
  if (bytes.length - pos < size) throw new Error(`${file}: short raster`);
  const pixels = bytes.subarray(pos, pos + size);
  const sha256 = crypto.createHash('sha256').update(pixels).digest('hex');
  return { width, height, pixels, sha256 };
}

function imageTensor(tf, image) {
  // int32 like face-api's own Node demos; the networks cast to float32.
  return tf.tensor3d(Int32Array.from(image.pixels),
    [image.height, image.width, 3], 'int32');
}

// The whole face-api pipeline on one decoded image, with the default SSD
// options (minConfidence 0.5, IoU 0.5, maxResults 100).
async function runPipeline(faceapi, tensor) {
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 });
  return faceapi.detectAllFaces(tensor, options)
    .withFaceLandmarks()
    .withFaceExpressions()
    .withAgeAndGender()
    .withFaceDescriptors();
}

function boxOf(rect) {
  return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
}

function describeFaces(faces) {
  return faces.map((f) => ({
    score: f.detection.score,
    box: boxOf(f.detection.box),
    landmarks: f.landmarks.positions.map((p) => [p.x, p.y]),
    aligned_box: boxOf(f.alignedRect.box),
    age: f.age,
    gender: f.gender,
    gender_probability: f.genderProbability,
    expressions: EXPRESSION_ORDER.map((e) => f.expressions[e]),
    descriptor: Array.from(f.descriptor),
  }));
}

module.exports = {
  NETWORKS, NORMALISATION, EXPRESSION_ORDER, patternValue, makePattern,
  useBackend, backendInfo, defaultModelsDir, loadNetworks, runNetwork,
  readPpm, imageTensor, runPipeline, describeFaces,
};
