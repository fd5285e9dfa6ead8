#!/usr/bin/env python3
"""Tests of the dager program as a user runs it.

Usage: test_program.py PATH_TO_DAGER

The always-run tests use small PNG files written here (zlib and struct
only) and --decode-only, which loads no models. The tests that need the
converted models (DAGER_MODELS_DIR) and the sample photos of the model
package (DAGER_SOURCE_ROOT/third_party/face-api/samples) skip when those
are absent.
"""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import unittest
import zlib

PROGRAM = None


def png_bytes(width, height, pixel):
    """An 8-bit RGB PNG whose pixel (x, y) is pixel(x, y)."""
    rows = b"".join(
        b"\x00" + bytes(value for x in range(width) for value in pixel(x, y))
        for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def gradient(x, y):
    return ((x * 13) % 256, (y * 29) % 256, (x + y) % 256)


def run(arguments, stdin=None, env=None):
    environment = dict(os.environ)
    if env:
        environment.update(env)
    return subprocess.run([PROGRAM] + arguments, input=stdin,
                          capture_output=True, env=environment, timeout=600)


def json_lines(output):
    lines = output.decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]


class Folder(unittest.TestCase):
    """Each test gets its own temporary folder as working folder."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="dager-cli-")
        self.addCleanup(shutil.rmtree, self.folder)

    def path(self, *names):
        return os.path.join(self.folder, *names)

    def write(self, name, data):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)
        return path


class Usage(Folder):
    def test_help_and_version(self):
        result = run(["--help"])
        self.assertEqual(result.returncode, 0)
        self.assertIn(b"--annotate DIR", result.stdout)
        self.assertIn(b"Exit status", result.stdout)
        result = run(["--version"])
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout.decode(),
                         r"^dager \d+\.\d+\.\d+ \(libdager \d+\.\d+\.\d+\)\n$")

    def test_usage_errors_exit_2_with_nothing_on_stdout(self):
        cases = [[], ["--bogus", "a.png"], ["--min-score", "2", "a.png"],
                 ["--threads"], ["--detector", "x", "a.png"], ["-", "-"],
                 ["--max-faces=0", "a.png"],
                 ["--tiling", "sometimes", "a.png"],
                 ["--min-face-size", "x", "a.png"]]
        for arguments in cases:
            with self.subTest(arguments=arguments):
                result = run(arguments)
                self.assertEqual(result.returncode, 2)
                self.assertEqual(result.stdout, b"")
                self.assertTrue(result.stderr.startswith(b"dager: "))

    def test_output_folder_that_cannot_be_made(self):
        blocker = self.write("file", b"x")
        image = self.write("a.png", png_bytes(2, 2, gradient))
        result = run(["--decode-only", "--dump-ppm",
                      os.path.join(blocker, "inner"), image])
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"cannot create folder", result.stderr)


class Decoding(Folder):
    def test_one_line_per_image_and_exit_status(self):
        good = self.write("good.png", png_bytes(7, 5, gradient))
        truncated = self.write("truncated.png",
                               png_bytes(7, 5, gradient)[:45])
        text = self.write("notes.png", b"hello, not an image")
        missing = self.path("missing.jpg")
        result = run(["--decode-only", good, truncated, text, missing,
                      self.folder])
        self.assertEqual(result.returncode, 1)
        lines = json_lines(result.stdout)
        self.assertEqual([line["path"] for line in lines],
                         [good, truncated, text, missing, self.folder])
        self.assertEqual(lines[0], {"path": good, "status": "ok",
                                    "width": 7, "height": 5,
                                    "orientation": 1})
        self.assertEqual([line["status"] for line in lines[1:]],
                         ["corrupt_image", "unsupported_format", "io", "io"])
        for line in lines[1:]:
            self.assertEqual(set(line), {"path", "status", "message"})
            self.assertTrue(line["message"])
        self.assertIn("-r", lines[4]["message"])
        # Nothing but the lines: no progress bar on a non-terminal.
        self.assertEqual(result.stderr, b"")

    def test_all_good_exits_0(self):
        images = [self.write("%d.png" % i, png_bytes(i + 1, 2, gradient))
                  for i in range(3)]
        result = run(["--decode-only"] + images)
        self.assertEqual(result.returncode, 0)
        widths = [line["width"] for line in json_lines(result.stdout)]
        self.assertEqual(widths, [1, 2, 3])

    def test_output_passes_json_tool(self):
        image = self.write("a.png", png_bytes(3, 3, gradient))
        result = run(["--decode-only", image, self.path("missing.png")])
        for line in result.stdout.splitlines():
            checked = subprocess.run([sys.executable, "-m", "json.tool"],
                                     input=line, capture_output=True)
            self.assertEqual(checked.returncode, 0, checked.stderr)

    def test_standard_input(self):
        data = png_bytes(9, 4, gradient)
        result = run(["--decode-only", "-"], stdin=data)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(json_lines(result.stdout),
                         [{"path": "-", "status": "ok", "width": 9,
                           "height": 4, "orientation": 1}])
        result = run(["--decode-only", "-"], stdin=b"")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(json_lines(result.stdout)[0]["status"],
                         "unsupported_format")

    def test_named_pipe_is_read_as_a_stream(self):
        # What a shell's <(...) or /dev/stdin hands over: not a regular file.
        data = png_bytes(7, 5, gradient)
        fifo = self.path("pipe.png")
        os.mkfifo(fifo)

        def feed():
            with open(fifo, "wb") as writer:
                writer.write(data)

        feeder = threading.Thread(target=feed)
        feeder.start()
        result = run(["--decode-only", fifo])
        feeder.join(timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json_lines(result.stdout),
                         [{"path": fifo, "status": "ok", "width": 7,
                           "height": 5, "orientation": 1}])

    def test_max_pixels(self):
        image = self.write("big.png", png_bytes(20, 10, gradient))
        result = run(["--decode-only", "--max-pixels", "199", image])
        self.assertEqual(result.returncode, 1)
        self.assertEqual(json_lines(result.stdout)[0]["status"],
                         "image_too_large")
        result = run(["--decode-only", "--max-pixels", "200", image])
        self.assertEqual(result.returncode, 0)

    def test_recursive_order_is_sorted_and_filtered(self):
        names = ["b.png", "A.png", "a.PNG", "sub/z.png", "sub/c.jpg.txt",
                 "sub/deep/x.png", ".hidden.png", "c.txt", "sub2/m.png"]
        for name in names:
            self.write(name, png_bytes(2, 2, gradient))
        result = run(["--decode-only", "-r", self.folder])
        paths = [os.path.relpath(line["path"], self.folder)
                 for line in json_lines(result.stdout)]
        self.assertEqual(paths, ["A.png", "a.PNG", "b.png", "sub/deep/x.png",
                                 "sub/z.png", "sub2/m.png"])
        self.assertEqual(result.returncode, 0)

    def test_awkward_paths_stay_valid_json(self):
        names = ['quote"back\\slash.png', "new\nline\ttab.png",
                 "caf\u00e9 \u2603.png"]
        data = png_bytes(2, 2, gradient)
        paths = [self.write(name, data) for name in names]
        # A Latin-1 byte in a file name: not UTF-8.
        raw = os.path.join(os.fsencode(self.folder), b"latin\xe9.png")
        with open(raw, "wb") as file:
            file.write(data)
        result = subprocess.run([os.fsencode(PROGRAM), b"--decode-only"] +
                                [os.fsencode(p) for p in paths] + [raw],
                                capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout)
        lines = json_lines(result.stdout)
        self.assertEqual(len(lines), 4)
        self.assertEqual([line["path"] for line in lines[:3]], paths)
        self.assertEqual(lines[3]["path"],
                         os.path.join(self.folder, "latin\ufffd.png"))

    def test_dump_ppm_holds_the_decoded_pixels(self):
        image = self.write("photo.png", png_bytes(6, 4, gradient))
        other = self.write("x/photo.png", png_bytes(2, 1, gradient))
        output = self.path("ppm")
        result = run(["--decode-only", "--dump-ppm", output, image, other])
        self.assertEqual(result.returncode, 0)
        lines = json_lines(result.stdout)
        # Same stem twice: the second file gets a numbered name.
        self.assertEqual([line["ppm"] for line in lines],
                         [os.path.join(output, "photo.ppm"),
                          os.path.join(output, "photo-2.ppm")])
        with open(lines[0]["ppm"], "rb") as file:
            ppm = file.read()
        expected = bytes(value for y in range(4) for x in range(6)
                         for value in gradient(x, y))
        self.assertEqual(ppm, b"P6\n6 4\n255\n" + expected)

    def test_pretty_table(self):
        image = self.write("a.png", png_bytes(8, 6, gradient))
        result = run(["--decode-only", "--pretty", image,
                      self.path("missing.png")])
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.decode().splitlines()
        self.assertEqual(lines[0], image + ": 8 x 6")
        self.assertRegex(lines[1], r"missing\.png: failed \(io\): ")

    def test_progress_only_when_asked_on_a_pipe(self):
        images = [self.write("%d.png" % i, png_bytes(3, 3, gradient))
                  for i in range(3)]
        result = run(["--decode-only", "--progress"] + images)
        self.assertEqual(result.returncode, 0)
        self.assertIn(b"3/3 [", result.stderr)
        self.assertIn(b"img/s", result.stderr)
        self.assertEqual(len(json_lines(result.stdout)), 3)

    def test_missing_models_exit_3(self):
        image = self.write("a.png", png_bytes(3, 3, gradient))
        empty = self.path("no-models")
        os.mkdir(empty)
        result = run(["--models", empty, image])
        self.assertEqual(result.returncode, 3)
        self.assertEqual(result.stdout, b"")
        self.assertIn(b"cannot load the models", result.stderr)

    def test_damaged_model_is_named(self):
        source = models_folder()
        if source is None:
            self.skipTest("SKIP: no converted models")
        image = self.write("a.png", png_bytes(3, 3, gradient))
        damaged = self.path("damaged-models")
        os.mkdir(damaged)
        for name in os.listdir(source):
            if name.endswith(".dager"):
                with open(os.path.join(source, name), "rb") as file:
                    data = file.read()
                if name == "face_expression.dager":
                    data = data[:len(data) // 2]
                with open(os.path.join(damaged, name), "wb") as file:
                    file.write(data)
        result = run(["--models", damaged, image])
        self.assertEqual(result.returncode, 3)
        self.assertIn(b"face_expression.dager", result.stderr)


def models_folder():
    folder = os.environ.get("DAGER_MODELS_DIR", "")
    if not os.path.isfile(os.path.join(folder, "ssd_mobilenetv1.dager")):
        return None
    return folder


def sample_photos():
    folder = os.path.join(os.environ.get("DAGER_SOURCE_ROOT", ""),
                          "third_party", "face-api", "samples")
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith(".jpg"))


EMOTIONS = ["angry", "disgusted", "fearful", "happy", "neutral", "sad",
            "surprised"]


@unittest.skipUnless(models_folder(), "SKIP: no converted models in "
                     "DAGER_MODELS_DIR")
class Analysis(Folder):
    def check_face(self, face, width, height):
        box = face["box"]
        self.assertGreater(box["width"], 0)
        self.assertGreater(box["height"], 0)
        self.assertGreaterEqual(box["x"], 0)
        self.assertLessEqual(box["x"] + box["width"], width + 0.01)
        self.assertLessEqual(box["y"] + box["height"], height + 0.01)
        self.assertTrue(0 <= face["score"] <= 1)
        self.assertIsInstance(face["cut_by_border"], bool)
        self.assertTrue(0 < face["age"] < 120)
        self.assertIn(face["gender"], ["female", "male"])
        self.assertTrue(0.5 <= face["gender_probability"] <= 1)
        self.assertEqual(list(face["emotions"]), EMOTIONS)
        self.assertAlmostEqual(sum(face["emotions"].values()), 1, places=3)
        self.assertEqual(face["emotion"],
                         max(face["emotions"], key=face["emotions"].get))

    def test_synthetic_image_without_faces(self):
        image = self.write("flat.png", png_bytes(64, 48, lambda x, y:
                                                 (128, 128, 128)))
        result = run([image])
        self.assertEqual(result.returncode, 0, result.stderr)
        line = json_lines(result.stdout)[0]
        self.assertEqual(line["faces"], [])
        self.assertFalse(line["truncated"])

    @unittest.skipUnless(sample_photos(), "SKIP: no sample photos (run "
                         "tools/fetch-models.sh)")
    def test_sample_photos(self):
        # Two photos keep the sanitizer build's run short; all of them
        # would test nothing more here.
        photos = sample_photos()[:2]
        annotated = self.path("annotated")
        crops = self.path("crops")
        result = run(["--landmarks", "--descriptor", "--annotate", annotated,
                      "--crops", crops, "--crop-size", "64"] + photos)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = json_lines(result.stdout)
        self.assertEqual([line["path"] for line in lines], photos)
        total = 0
        for line in lines:
            self.assertEqual(line["status"], "ok")
            self.assertTrue(os.path.isfile(line["annotated"]))
            for face in line["faces"]:
                self.check_face(face, line["width"], line["height"])
                self.assertEqual(len(face["landmarks"]), 68)
                self.assertEqual(len(face["descriptor"]), 128)
                with open(face["crop"], "rb") as file:
                    self.assertEqual(file.read(8), b"\x89PNG\r\n\x1a\n")
                total += 1
        self.assertGreater(total, 0, "no face in any sample photo")

        # The annotated picture decodes, at the photo's size.
        decoded = run(["--decode-only", lines[0]["annotated"]])
        line = json_lines(decoded.stdout)[0]
        self.assertEqual((line["width"], line["height"]),
                         (lines[0]["width"], lines[0]["height"]))

    @unittest.skipUnless(sample_photos(), "SKIP: no sample photos")
    def test_options_change_the_answer(self):
        photo = sample_photos()[0]
        default = json_lines(run([photo]).stdout)[0]
        self.assertGreater(len(default["faces"]), 0)
        one = json_lines(run(["--max-faces", "1", photo]).stdout)[0]
        self.assertEqual(len(one["faces"]), 1)
        self.assertEqual(one["faces"][0], default["faces"][0])
        self.assertEqual(one["truncated"], len(default["faces"]) > 1)
        tiny = run(["--detector", "tiny", "--threads", "2", photo])
        self.assertEqual(tiny.returncode, 0, tiny.stderr)
        strict = json_lines(run(["--min-score", "0.999", photo]).stdout)[0]
        self.assertLessEqual(len(strict["faces"]), len(default["faces"]))
        with open(photo, "rb") as file:
            piped = json_lines(run(["-"], stdin=file.read()).stdout)[0]
        self.assertEqual(piped["faces"], default["faces"])
        pretty = run(["--pretty", photo]).stdout.decode()
        self.assertRegex(pretty, r"face\s+x\s+y\s+width")
        # A photo of large faces is not refined: tiling off changes nothing,
        # and tiles down to 40-pixel faces find the same people again.
        untiled = json_lines(run(["--tiling", "off", photo]).stdout)[0]
        self.assertEqual(untiled["faces"], default["faces"])
        searched = json_lines(run(["--min-face-size", "40", photo]).stdout)[0]
        self.assertGreaterEqual(len(searched["faces"]), len(default["faces"]))

        # JPEG output: the annotated picture and the crops decode again.
        folder = self.path("jpeg")
        jpeg = json_lines(run(["--format", "jpeg", "--jpeg-quality", "80",
                               "--annotate", folder, "--crops", folder,
                               "--crop-size", "32", photo]).stdout)[0]
        written = [jpeg["annotated"]] + [face["crop"]
                                         for face in jpeg["faces"]]
        self.assertTrue(all(name.endswith(".jpg") for name in written))
        sizes = [(line["width"], line["height"]) for line in
                 json_lines(run(["--decode-only"] + written).stdout)]
        self.assertEqual(sizes, [(default["width"], default["height"])] +
                         [(32, 32)] * len(jpeg["faces"]))


def main():
    global PROGRAM
    if len(sys.argv) < 2:
        sys.exit("usage: test_program.py PATH_TO_DAGER")
    PROGRAM = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
