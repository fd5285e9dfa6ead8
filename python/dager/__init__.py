"""libdager for Python: faces, landmarks, age, gender and emotion.

A thin ctypes layer over the C library's public API. Results come back as
plain Python objects (dataclasses), failures as DagerError carrying the
library's status and message, and every native handle is closed by a
context manager or close() (a finaliser is only a safety net).

    import dager
    with dager.Engine() as engine, engine.session() as session:
        for face in session.analyze("photo.jpg").faces:
            print(face.age, face.gender, face.emotion)

The library is found through DAGER_LIBRARY (a path to libdager.so), a
meson build tree beside this source tree, or the system's library path.
"""

import ctypes
import enum
import os
import threading
import weakref
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple, Union

from . import _library

__all__ = [
    "Analysis", "AlignedFace", "Box", "DagerError", "Engine", "Face",
    "Image", "PixelFormat", "Session", "Status", "analyze",
    "descriptor_distance", "descriptor_similarity", "from_pixels", "load",
    "load_bytes", "library_path", "version",
]

EMOTIONS = ("angry", "disgusted", "fearful", "happy", "neutral", "sad",
            "surprised")


class Status(enum.IntEnum):
    """dager_status; the values are fixed by the C header."""

    OK = 0
    INVALID_ARGUMENT = 1
    OUT_OF_MEMORY = 2
    IO = 3
    UNSUPPORTED_FORMAT = 4
    CORRUPT_IMAGE = 5
    IMAGE_TOO_LARGE = 6
    MODEL_INVALID = 7
    MODEL_VERSION = 8
    MODEL_WRONG_TASK = 9
    UNKNOWN_OPTION = 10
    OUT_OF_RANGE = 11
    NOT_LOADED = 12
    INTERNAL = 13


class PixelFormat(enum.IntEnum):
    """dager_pixel_format, for from_pixels."""

    RGB8 = 1
    BGR8 = 2
    RGBA8 = 3
    BGRA8 = 4
    GRAY8 = 5


_BYTES_PER_PIXEL = {PixelFormat.RGB8: 3, PixelFormat.BGR8: 3,
                    PixelFormat.RGBA8: 4, PixelFormat.BGRA8: 4,
                    PixelFormat.GRAY8: 1}


class DagerError(Exception):
    """A failed libdager call.

    status is a Status (or a plain int for a code newer than this
    package); message is the library's detail for this failure.
    """

    def __init__(self, status: int, message: str):
        try:
            status = Status(status)
        except ValueError:
            pass
        self.status = status
        self.message = message
        super().__init__(message)

    def __str__(self):
        name = self.status.name.lower() if isinstance(
            self.status, Status) else str(self.status)
        return "%s (%s)" % (self.message, name)


_loaded = None
_loading = threading.Lock()


def _lib():
    global _loaded
    if _loaded is None:
        with _loading:
            if _loaded is None:
                _loaded = _library.load_library()
    return _loaded[0]


def library_path() -> str:
    """The path of the libdager that was loaded."""
    _lib()
    return _loaded[1]


def version() -> str:
    """The library's version, "MAJOR.MINOR.PATCH"."""
    return _lib().dager_version_string().decode()


def _check(status: int) -> None:
    """Raises DagerError for a failed status. The library's message is
    per thread and overwritten by the next call, so it is read here,
    right after the failing call and on the same thread."""
    if status != Status.OK:
        library = _lib()
        message = library.dager_last_error_message().decode(
            "utf-8", "replace")
        if not message:
            message = library.dager_status_string(status).decode()
        raise DagerError(status, message)


def _text(value: Union[str, bytes, os.PathLike]) -> bytes:
    return os.fsencode(value)


@dataclass(frozen=True)
class Box:
    """A face's box in pixels of the displayed image."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Face:
    """One face. Fields the analysis did not fill are None."""

    box: Box
    score: float
    cut_by_border: bool
    landmarks: Optional[Tuple[Tuple[float, float], ...]]
    age: Optional[float]
    gender: Optional[str]
    gender_probability: Optional[float]
    emotion: Optional[str]
    emotions: Optional[Dict[str, float]]
    descriptor: Optional[Tuple[float, ...]]


@dataclass(frozen=True)
class Analysis:
    """The faces found in one image, strongest first."""

    width: int
    height: int
    truncated: bool
    faces: List[Face]


@dataclass(frozen=True)
class AlignedFace:
    """An aligned crop: size x size RGB8 pixels, rows without padding."""

    face: Face
    size: int
    pixels: bytes


class _Handle:
    """Owns one native pointer; closed once, by close() or the finaliser."""

    _destroy = ""
    # Class-level default, so a constructor that failed before storing a
    # pointer leaves nothing for close() to free.
    _pointer = None

    def __init__(self, pointer: ctypes.c_void_p):
        self._pointer = pointer

    @property
    def closed(self) -> bool:
        return not self._pointer

    def _native(self) -> ctypes.c_void_p:
        if not self._pointer:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._pointer

    def close(self) -> None:
        pointer, self._pointer = self._pointer, None
        if pointer:
            getattr(_lib(), self._destroy)(pointer)

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        self.close()

    def __del__(self):
        # Safety net only; at interpreter exit the library may be gone.
        try:
            self.close()
        except Exception:
            pass


class Image(_Handle):
    """Decoded RGB8 pixels, upright (EXIF orientation applied)."""

    _destroy = "dager_image_destroy"

    @property
    def width(self) -> int:
        return _lib().dager_image_width(self._native())

    @property
    def height(self) -> int:
        return _lib().dager_image_height(self._native())

    @property
    def orientation(self) -> int:
        """The EXIF orientation applied when decoding (1 when none)."""
        return _lib().dager_image_orientation(self._native())

    def pixels(self) -> bytes:
        """A copy of the pixels: height rows of width * 3 bytes (R, G, B)."""
        pointer = _lib().dager_image_pixels(self._native())
        return ctypes.string_at(pointer, self.width * self.height * 3)


def _new_image(call, *arguments) -> Image:
    pointer = ctypes.c_void_p()
    _check(call(*arguments, ctypes.byref(pointer)))
    return Image(pointer)


def load(path: Union[str, bytes, os.PathLike], max_pixels: int = 0) -> Image:
    """Decodes a JPEG or PNG file. max_pixels 0 means the library's limit."""
    return _new_image(_lib().dager_image_load_file, _text(path), max_pixels)


def load_bytes(data: bytes, max_pixels: int = 0) -> Image:
    """Decodes a JPEG or PNG held in memory."""
    data = bytes(data)
    return _new_image(_lib().dager_image_load_memory, data, len(data),
                      max_pixels)


def from_pixels(data: bytes, width: int, height: int,
                pixel_format: PixelFormat = PixelFormat.RGB8,
                stride: Optional[int] = None) -> Image:
    """Copies caller pixels (rows stride bytes apart) into a new image."""
    pixel_format = PixelFormat(pixel_format)
    if stride is None:
        stride = width * _BYTES_PER_PIXEL[pixel_format]
    data = bytes(data)
    # The library reads height rows of stride bytes; refuse a short buffer
    # here rather than let it read past the end.
    if width > 0 and height > 0 and len(data) < stride * (height - 1) + \
            width * _BYTES_PER_PIXEL[pixel_format]:
        raise DagerError(Status.INVALID_ARGUMENT,
                         "pixel buffer of %d bytes is too small for %d x %d"
                         % (len(data), width, height))
    return _new_image(_lib().dager_image_from_pixels, data, width, height,
                      stride, int(pixel_format))


def _set_option(library, options: ctypes.c_void_p, name: str,
                value) -> None:
    key = name.encode()
    if isinstance(value, bool):
        raise DagerError(Status.UNKNOWN_OPTION,
                         "option %s takes a number or text, not a bool"
                         % name)
    if isinstance(value, str):
        _check(library.dager_options_set_string(options, key,
                                                value.encode()))
    elif isinstance(value, os.PathLike):
        _check(library.dager_options_set_string(options, key,
                                                os.fsencode(value)))
    elif isinstance(value, int):
        _check(library.dager_options_set_int(options, key, value))
    elif isinstance(value, float):
        _check(library.dager_options_set_double(options, key, value))
    else:
        raise DagerError(Status.UNKNOWN_OPTION,
                         "option %s has a value of type %s"
                         % (name, type(value).__name__))


class Engine(_Handle):
    """The loaded networks; shareable by threads, each with its own Session.

    Keyword arguments are the engine options of dager.h ("models_dir",
    "detector", "min_score", "max_faces", "threads", "max_pixels", ...);
    None leaves an option at its default.
    """

    _destroy = "dager_engine_destroy"

    def __init__(self, **options):
        library = _lib()
        handle = ctypes.c_void_p()
        _check(library.dager_options_create(ctypes.byref(handle)))
        try:
            for name, value in options.items():
                if value is not None:
                    _set_option(library, handle, name, value)
            engine = ctypes.c_void_p()
            _check(library.dager_engine_create(handle, ctypes.byref(engine)))
        finally:
            library.dager_options_destroy(handle)
        super().__init__(engine)
        self._sessions = weakref.WeakSet()

    @property
    def isa(self) -> str:
        """The instruction set the kernels use, e.g. "avx2"."""
        return _lib().dager_engine_isa(self._native()).decode()

    def session(self) -> "Session":
        """A new session; use each from one thread at a time."""
        session = Session(self)
        self._sessions.add(session)
        return session

    def close(self) -> None:
        # The C API wants every session gone before its engine.
        for session in list(getattr(self, "_sessions", ())):
            session.close()
        super().close()


class Session(_Handle):
    """Scratch memory for analysing images; one thread at a time."""

    _destroy = "dager_session_destroy"

    def __init__(self, engine: Engine):
        pointer = ctypes.c_void_p()
        _check(_lib().dager_session_create(engine._native(),
                                           ctypes.byref(pointer)))
        super().__init__(pointer)
        # Holding the engine keeps it alive as long as this session.
        self._engine = engine

    def _run(self, call, *arguments) -> Analysis:
        library = _lib()
        result = ctypes.c_void_p()
        _check(call(self._native(), *arguments, ctypes.byref(result)))
        try:
            return _read_result(library, result)
        finally:
            library.dager_result_destroy(result)

    def detect(self, image: Image) -> Analysis:
        """Faces and landmarks only."""
        return self._run(_lib().dager_detect, image._native())

    def analyze(self, source: Union[Image, str, bytes, os.PathLike]
                ) -> Analysis:
        """Faces, landmarks, age, gender, emotion and descriptor.

        source is an Image, a path, or the bytes of a JPEG or PNG file.
        """
        if isinstance(source, Image):
            return self._run(_lib().dager_analyze, source._native())
        if isinstance(source, (bytes, bytearray, memoryview)):
            with load_bytes(source) as image:
                return self._run(_lib().dager_analyze, image._native())
        return self._run(_lib().dager_analyze_file, _text(source))

    def aligned_faces(self, image: Image, size: int = 150
                      ) -> List[AlignedFace]:
        """Finds the faces and returns an aligned size x size crop of each
        (eyes level and at fixed places)."""
        library = _lib()
        result = ctypes.c_void_p()
        _check(library.dager_detect(self._native(), image._native(),
                                    ctypes.byref(result)))
        try:
            analysis = _read_result(library, result)
            crops = []
            for index, face in enumerate(analysis.faces):
                buffer = ctypes.create_string_buffer(size * size * 3)
                _check(library.dager_align_face(
                    self._native(), image._native(), result, index, size,
                    buffer, size * 3))
                crops.append(AlignedFace(face, size, buffer.raw))
            return crops
        finally:
            library.dager_result_destroy(result)


def _read_result(library, result: ctypes.c_void_p) -> Analysis:
    faces = []
    for index in range(library.dager_result_face_count(result)):
        native = _library.Face()
        native.struct_size = ctypes.sizeof(native)
        _check(library.dager_result_face(result, index,
                                         ctypes.byref(native)))
        descriptor = None
        if native.has_descriptor:
            values = (ctypes.c_float * _library.DESCRIPTOR_SIZE)()
            _check(library.dager_result_descriptor(result, index,
                                                   ctypes.byref(values)))
            descriptor = tuple(values)
        faces.append(_face(library, native, descriptor))
    return Analysis(width=library.dager_result_image_width(result),
                    height=library.dager_result_image_height(result),
                    truncated=bool(library.dager_result_truncated(result)),
                    faces=faces)


def _face(library, native, descriptor) -> Face:
    landmarks = None
    if native.has_landmarks:
        landmarks = tuple((point[0], point[1]) for point in native.landmarks)
    attributes = {"age": None, "gender": None, "gender_probability": None,
                  "emotion": None, "emotions": None}
    if native.has_attributes:
        attributes = {
            "age": native.age,
            "gender": library.dager_gender_name(native.gender).decode(),
            "gender_probability": native.gender_probability,
            "emotion": library.dager_emotion_name(
                native.dominant_emotion).decode(),
            "emotions": {
                library.dager_emotion_name(index).decode():
                    native.emotions[index]
                for index in range(_library.EMOTION_COUNT)},
        }
    return Face(box=Box(native.x, native.y, native.width, native.height),
                score=native.score, cut_by_border=bool(native.cut_by_border),
                landmarks=landmarks, descriptor=descriptor, **attributes)


def analyze(source: Union[Image, str, bytes, os.PathLike],
            **options) -> Analysis:
    """One-shot analysis: loads the models, analyses source, frees all.

    For many images make one Engine and Session and reuse them.
    """
    with Engine(**options) as engine, engine.session() as session:
        return session.analyze(source)


def _descriptor_array(values) -> ctypes.Array:
    values = tuple(values)
    if len(values) != _library.DESCRIPTOR_SIZE:
        raise ValueError("a descriptor has %d values, not %d"
                         % (_library.DESCRIPTOR_SIZE, len(values)))
    return (ctypes.c_float * _library.DESCRIPTOR_SIZE)(*values)


def descriptor_distance(a, b) -> float:
    """Euclidean distance; below about 0.6, likely the same person."""
    return _lib().dager_descriptor_distance(_descriptor_array(a),
                                            _descriptor_array(b))


def descriptor_similarity(a, b) -> float:
    """Cosine similarity of two descriptors, -1..1."""
    return _lib().dager_descriptor_similarity(_descriptor_array(a),
                                              _descriptor_array(b))
