"""Tests of the Python binding, run against the built library.

Run from the source tree with unittest or pytest:
    DAGER_LIBRARY=build/lib/libdager.so python3 -m pytest python/tests
    DAGER_LIBRARY=build/lib/libdager.so python3 -m unittest discover \
        -s python/tests -t python
Tests that need the converted models (DAGER_MODELS_DIR) or the sample
photos (DAGER_SOURCE_ROOT/third_party/face-api/samples) skip without
them; the comparison with the dager program also needs DAGER_PROGRAM.
"""

import gc
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

import dager  # noqa: E402


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
    return ((x * 7) % 256, (y * 11) % 256, (x + y) % 256)


class Images(unittest.TestCase):
    def test_version(self):
        self.assertRegex(dager.version(), r"^\d+\.\d+\.\d+$")
        self.assertTrue(os.path.exists(dager.library_path()))

    def test_decodes_synthetic_png(self):
        data = png_bytes(13, 6, gradient)
        with dager.load_bytes(data) as image:
            self.assertEqual((image.width, image.height), (13, 6))
            self.assertEqual(image.orientation, 1)
            expected = bytes(v for y in range(6) for x in range(13)
                             for v in gradient(x, y))
            self.assertEqual(image.pixels(), expected)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "a.png")
            with open(path, "wb") as file:
                file.write(data)
            with dager.load(path) as image:
                self.assertEqual(image.pixels(), expected)

    def test_missing_file(self):
        with self.assertRaises(dager.DagerError) as caught:
            dager.load("/nonexistent/folder/photo.jpg")
        self.assertEqual(caught.exception.status, dager.Status.IO)
        self.assertTrue(caught.exception.message)
        self.assertIn("(io)", str(caught.exception))

    def test_corrupt_and_foreign_bytes(self):
        data = png_bytes(32, 32, gradient)
        cases = [(data[:len(data) // 2], dager.Status.CORRUPT_IMAGE),
                 (b"GIF89a, not ours", dager.Status.UNSUPPORTED_FORMAT),
                 (b"", dager.Status.UNSUPPORTED_FORMAT)]
        for payload, status in cases:
            with self.subTest(status=status):
                with self.assertRaises(dager.DagerError) as caught:
                    dager.load_bytes(payload)
                self.assertEqual(caught.exception.status, status)
                self.assertTrue(caught.exception.message)

    def test_pixel_limit(self):
        with self.assertRaises(dager.DagerError) as caught:
            dager.load_bytes(png_bytes(20, 10, gradient), max_pixels=199)
        self.assertEqual(caught.exception.status,
                         dager.Status.IMAGE_TOO_LARGE)

    def test_from_pixels(self):
        gray = bytes([0, 10, 20, 99, 30, 40, 50, 99])
        with dager.from_pixels(gray, 3, 2, dager.PixelFormat.GRAY8,
                               stride=4) as image:
            self.assertEqual(image.pixels(), bytes(
                v for v in (0, 10, 20, 30, 40, 50) for _ in range(3)))
        with self.assertRaises(dager.DagerError) as caught:
            dager.from_pixels(gray, 3, 3, dager.PixelFormat.GRAY8, stride=4)
        self.assertEqual(caught.exception.status,
                         dager.Status.INVALID_ARGUMENT)

    def test_closed_handles(self):
        image = dager.load_bytes(png_bytes(2, 2, gradient))
        image.close()
        image.close()
        self.assertTrue(image.closed)
        with self.assertRaises(ValueError):
            image.pixels()

    def test_no_handle_leak_under_repetition(self):
        # Many images, closed by context manager and by the
        # finaliser: the process must not grow by their pixels.
        data = png_bytes(128, 128, gradient)

        def resident_kib():
            with open("/proc/self/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
            self.skipTest("no /proc/self/status")

        for _ in range(50):
            with dager.load_bytes(data):
                pass
        before = resident_kib()
        for index in range(1200):
            if index % 2:
                with dager.load_bytes(data):
                    pass
            else:
                dager.load_bytes(data)
        gc.collect()
        grown = resident_kib() - before
        # 1200 leaked images would be 1200 * 48 KiB = 56 MiB.
        self.assertLess(grown, 16 * 1024, "grew by %d KiB" % grown)

    def test_errors_stay_with_their_thread(self):
        payloads = {dager.Status.UNSUPPORTED_FORMAT: b"GIF89a...",
                    dager.Status.CORRUPT_IMAGE: png_bytes(8, 8, gradient)[:50]}
        messages = {}
        for status, payload in payloads.items():
            try:
                dager.load_bytes(payload)
            except dager.DagerError as error:
                messages[status] = error.message
        self.assertNotEqual(*messages.values())
        mismatches = []

        def work(status):
            for _ in range(300):
                try:
                    dager.load_bytes(payloads[status])
                except dager.DagerError as error:
                    if error.message != messages[status]:
                        mismatches.append(error.message)

        threads = [threading.Thread(target=work, args=(status,))
                   for status in list(payloads) * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(mismatches, [])


class Finding(unittest.TestCase):
    def run_python(self, code, library):
        environment = dict(os.environ)
        environment["DAGER_LIBRARY"] = library
        environment["PYTHONPATH"] = os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))
        return subprocess.run([sys.executable, "-c", code],
                              capture_output=True, env=environment,
                              timeout=60)

    def test_explicit_library_is_used_or_named(self):
        found = self.run_python("import dager; print(dager.library_path())",
                                dager.library_path())
        self.assertEqual(found.stdout.decode().strip(), dager.library_path())
        # A wrong DAGER_LIBRARY is an error naming it, never a silent
        # fall back to another copy of the library.
        missing = self.run_python("import dager; dager.version()",
                                  "/nonexistent/libdager.so")
        self.assertNotEqual(missing.returncode, 0)
        self.assertIn(b"/nonexistent/libdager.so", missing.stderr)
        self.assertIn(b"DAGER_LIBRARY", missing.stderr)


class Options(unittest.TestCase):
    def test_bad_options(self):
        cases = [{"min_score": 1.5}, {"no_such_option": 1},
                 {"detector": "yolo"}, {"threads": 0},
                 {"max_faces": True}, {"models_dir": 3.5}]
        for options in cases:
            with self.subTest(options=options):
                with self.assertRaises(dager.DagerError) as caught:
                    dager.Engine(**options)
                self.assertEqual(caught.exception.status,
                                 dager.Status.UNKNOWN_OPTION)
                self.assertTrue(caught.exception.message)

    def test_missing_models(self):
        with tempfile.TemporaryDirectory() as folder:
            with self.assertRaises(dager.DagerError) as caught:
                dager.Engine(models_dir=folder)
            self.assertEqual(caught.exception.status, dager.Status.IO)

    def test_descriptor_arithmetic(self):
        a = [0.0] * 128
        b = [0.0] * 128
        a[0], b[1] = 3.0, 4.0
        self.assertAlmostEqual(dager.descriptor_distance(a, b), 5.0, 5)
        self.assertAlmostEqual(dager.descriptor_similarity(a, a), 1.0, 5)
        with self.assertRaises(ValueError):
            dager.descriptor_distance(a[:5], b)


def models_folder():
    folder = os.environ.get("DAGER_MODELS_DIR", "")
    if os.path.isfile(os.path.join(folder, "ssd_mobilenetv1.dager")):
        return folder
    return None


def sample_photo():
    path = os.path.join(os.environ.get("DAGER_SOURCE_ROOT", ""),
                        "third_party", "face-api", "samples", "sample1.jpg")
    return path if os.path.isfile(path) else None


@unittest.skipUnless(models_folder(), "SKIP: no converted models in "
                     "DAGER_MODELS_DIR")
class Analysis(unittest.TestCase):
    def test_flat_image_has_no_face(self):
        data = png_bytes(64, 48, lambda x, y: (90, 90, 90))
        result = dager.analyze(data, models_dir=models_folder())
        self.assertEqual(result.faces, [])
        self.assertEqual((result.width, result.height), (64, 48))

    @unittest.skipUnless(sample_photo(), "SKIP: no sample photo")
    def test_example_program(self):
        source_root = os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__))))
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.path.join(source_root, "python")
        environment["DAGER_LIBRARY"] = dager.library_path()
        environment["DAGER_MODELS_DIR"] = models_folder()
        example = os.path.join(source_root, "examples", "python",
                               "analyze.py")
        result = subprocess.run([sys.executable, example, sample_photo(),
                                 "/nonexistent.jpg"], capture_output=True,
                                env=environment, timeout=300)
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout.decode(),
                         r"sample1\.jpg face 1: age \d+, (female|male) ")
        self.assertIn(b"/nonexistent.jpg: ", result.stderr)

    @unittest.skipUnless(sample_photo(), "SKIP: no sample photo (run "
                         "tools/fetch-models.sh)")
    def test_sample_photo_matches_program(self):
        photo = sample_photo()
        with dager.Engine(models_dir=models_folder()) as engine, \
                engine.session() as session:
            result = session.analyze(photo)
            self.assertGreater(len(result.faces), 0)
            for face in result.faces:
                self.assertEqual(len(face.landmarks), 68)
                self.assertEqual(len(face.descriptor), 128)
                self.assertEqual(list(face.emotions), list(dager.EMOTIONS))
                self.assertAlmostEqual(sum(face.emotions.values()), 1, 3)
            with dager.load(photo) as image:
                self.assertEqual(session.analyze(image), result)
                crops = session.aligned_faces(image, size=96)
                self.assertEqual(len(crops), len(result.faces))
                self.assertEqual(len(crops[0].pixels), 96 * 96 * 3)

        program = os.environ.get("DAGER_PROGRAM")
        if not program:
            self.skipTest("SKIP: DAGER_PROGRAM not set; not compared")
        output = subprocess.run([program, "--models", models_folder(),
                                 "--landmarks", photo],
                                capture_output=True, check=True).stdout
        line = json.loads(output)
        self.assertEqual((line["width"], line["height"]),
                         (result.width, result.height))
        self.assertEqual(len(line["faces"]), len(result.faces))
        # The program prints the shortest text that reads back as the same
        # float32, so after rounding to float32 the numbers of the same
        # library must be equal to the last bit.
        def f32(value):
            return struct.unpack("f", struct.pack("f", value))[0]

        for printed, face in zip(line["faces"], result.faces):
            box = printed["box"]
            self.assertEqual(
                [f32(box[key]) for key in ("x", "y", "width", "height")],
                [face.box.x, face.box.y, face.box.width, face.box.height])
            self.assertEqual(f32(printed["score"]), face.score)
            self.assertEqual(f32(printed["age"]), face.age)
            self.assertEqual(printed["gender"], face.gender)
            self.assertEqual(f32(printed["gender_probability"]),
                             face.gender_probability)
            self.assertEqual(printed["emotion"], face.emotion)
            self.assertEqual({name: f32(value) for name, value
                              in printed["emotions"].items()}, face.emotions)
            self.assertEqual([(f32(x), f32(y))
                              for x, y in printed["landmarks"]],
                             list(face.landmarks))

if __name__ == "__main__":
    unittest.main(verbosity=2)
