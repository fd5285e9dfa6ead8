"""Finding and describing libdager for ctypes.

The search order: the DAGER_LIBRARY environment variable (a path to the
shared library), then the README's build tree next to this source tree
(build/lib/libdager.so), then the system's library path through
ctypes.util.find_library. Other build trees (build-sanitize/ and the like,
whose libraries need their sanitizer runtime loaded first) are used only
when DAGER_LIBRARY names them.
"""

import ctypes
import ctypes.util
import os

LANDMARK_COUNT = 68
DESCRIPTOR_SIZE = 128
EMOTION_COUNT = 7


class Face(ctypes.Structure):
    """dager_face of include/dager.h, field for field."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("x", ctypes.c_float),
        ("y", ctypes.c_float),
        ("width", ctypes.c_float),
        ("height", ctypes.c_float),
        ("score", ctypes.c_float),
        ("cut_by_border", ctypes.c_int),
        ("has_landmarks", ctypes.c_int),
        ("landmarks", (ctypes.c_float * 2) * LANDMARK_COUNT),
        ("has_attributes", ctypes.c_int),
        ("age", ctypes.c_float),
        ("gender", ctypes.c_int),
        ("gender_probability", ctypes.c_float),
        ("emotions", ctypes.c_float * EMOTION_COUNT),
        ("dominant_emotion", ctypes.c_int),
        ("has_descriptor", ctypes.c_int),
    ]


def _candidates():
    explicit = os.environ.get("DAGER_LIBRARY")
    if explicit:
        # Given on purpose: use it or fail, never fall back silently.
        yield explicit
        return
    source_root = os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    built = os.path.join(source_root, "build", "lib", "libdager.so")
    if os.path.exists(built):
        yield built
    found = ctypes.util.find_library("dager")
    if found:
        yield found


def _declare(library):
    """Argument and result types of every call the package uses."""
    c_void_p = ctypes.c_void_p
    handle_out = ctypes.POINTER(ctypes.c_void_p)
    status = ctypes.c_int
    signatures = {
        "dager_version": (ctypes.c_uint, []),
        "dager_version_string": (ctypes.c_char_p, []),
        "dager_status_string": (ctypes.c_char_p, [ctypes.c_int]),
        "dager_last_error_message": (ctypes.c_char_p, []),
        "dager_options_create": (status, [handle_out]),
        "dager_options_destroy": (None, [c_void_p]),
        "dager_options_set_string": (status, [c_void_p, ctypes.c_char_p,
                                              ctypes.c_char_p]),
        "dager_options_set_int": (status, [c_void_p, ctypes.c_char_p,
                                           ctypes.c_int64]),
        "dager_options_set_double": (status, [c_void_p, ctypes.c_char_p,
                                              ctypes.c_double]),
        "dager_engine_create": (status, [c_void_p, handle_out]),
        "dager_engine_destroy": (None, [c_void_p]),
        "dager_engine_isa": (ctypes.c_char_p, [c_void_p]),
        "dager_session_create": (status, [c_void_p, handle_out]),
        "dager_session_destroy": (None, [c_void_p]),
        "dager_image_load_file": (status, [ctypes.c_char_p, ctypes.c_uint64,
                                           handle_out]),
        "dager_image_load_memory": (status, [ctypes.c_char_p,
                                             ctypes.c_size_t,
                                             ctypes.c_uint64, handle_out]),
        "dager_image_from_pixels": (status, [ctypes.c_char_p, ctypes.c_int,
                                             ctypes.c_int, ctypes.c_size_t,
                                             ctypes.c_int, handle_out]),
        "dager_image_destroy": (None, [c_void_p]),
        "dager_image_width": (ctypes.c_int, [c_void_p]),
        "dager_image_height": (ctypes.c_int, [c_void_p]),
        "dager_image_orientation": (ctypes.c_int, [c_void_p]),
        "dager_image_pixels": (ctypes.POINTER(ctypes.c_uint8), [c_void_p]),
        "dager_emotion_name": (ctypes.c_char_p, [ctypes.c_int]),
        "dager_gender_name": (ctypes.c_char_p, [ctypes.c_int]),
        "dager_result_destroy": (None, [c_void_p]),
        "dager_result_face_count": (ctypes.c_size_t, [c_void_p]),
        "dager_result_truncated": (ctypes.c_int, [c_void_p]),
        "dager_result_image_width": (ctypes.c_int, [c_void_p]),
        "dager_result_image_height": (ctypes.c_int, [c_void_p]),
        "dager_result_face": (status, [c_void_p, ctypes.c_size_t,
                                       ctypes.POINTER(Face)]),
        "dager_result_descriptor": (status, [
            c_void_p, ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_float * DESCRIPTOR_SIZE)]),
        "dager_descriptor_distance": (ctypes.c_float, [
            ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]),
        "dager_descriptor_similarity": (ctypes.c_float, [
            ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float)]),
        "dager_detect": (status, [c_void_p, c_void_p, handle_out]),
        "dager_analyze": (status, [c_void_p, c_void_p, handle_out]),
        "dager_analyze_file": (status, [c_void_p, ctypes.c_char_p,
                                        handle_out]),
        "dager_align_face": (status, [c_void_p, c_void_p, c_void_p,
                                      ctypes.c_size_t, ctypes.c_int,
                                      c_void_p, ctypes.c_size_t]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    return library


def load_library():
    """Loads libdager; raises OSError naming every place that was tried."""
    tried = []
    for path in _candidates():
        try:
            return _declare(ctypes.CDLL(path)), path
        except (OSError, AttributeError) as error:
            tried.append("%s (%s)" % (path, error))
    raise OSError("libdager not found; set DAGER_LIBRARY to the path of "
                  "libdager.so. Tried: " + ("; ".join(tried) or "nothing"))
