#!/usr/bin/env python3
"""Prints age, gender and emotion of every face in the photos given.

    PYTHONPATH=python DAGER_LIBRARY=build/lib/libdager.so \
        DAGER_MODELS_DIR=build/models python3 examples/python/analyze.py \
        third_party/face-api/samples/sample1.jpg
"""

import sys

import dager


def main(paths):
    if not paths:
        sys.exit("usage: analyze.py PHOTO...")
    failed = False
    with dager.Engine() as engine, engine.session() as session:
        for path in paths:
            try:
                result = session.analyze(path)
            except dager.DagerError as error:
                print("%s: %s" % (path, error), file=sys.stderr)
                failed = True
                continue
            for number, face in enumerate(result.faces, 1):
                print("%s face %d: age %.0f, %s (%.0f%%), %s" % (
                    path, number, face.age, face.gender,
                    face.gender_probability * 100, face.emotion))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except dager.DagerError as error:
        sys.exit("analyze.py: %s" % error)
