"""Validating an ILR file against its XSD while streaming it, naming the learner and
element of the first error. No Django here: `python -m ilr_exports.validation SCHEMA NS`
validates its standard input in a process of its own, so the file can be checked on the
other core while it is being written (lxml holds the GIL, so a thread would not help)."""

from __future__ import annotations

import json
import sys
from typing import IO

from lxml import etree


def validate_stream(handle: IO[bytes], *, schema: etree.XMLSchema, namespace: str) -> str | None:
    """None when the file is valid, else the first problem, naming the learner."""
    current = "(before the first learner)"
    tag_lrn = f"{{{namespace}}}LearnRefNumber"
    tag_learner = f"{{{namespace}}}Learner"
    try:
        # Only these two tags come back to Python; the rest is checked in C.
        events = etree.iterparse(handle, events=("end",), tag=[tag_lrn, tag_learner], schema=schema)
        for _, element in events:
            if element.tag == tag_lrn:
                current = element.text or ""
            else:
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        return f"at learner {current}: {error.msg}"
    return None


def main() -> None:
    schema_path, namespace = sys.argv[1], sys.argv[2]
    schema = etree.XMLSchema(etree.parse(schema_path))
    problem = validate_stream(sys.stdin.buffer, schema=schema, namespace=namespace)
    sys.stdout.write(json.dumps({"problem": problem, "peak_mb": _peak_mb()}))


def _peak_mb() -> float:
    """This process's peak resident memory (Linux), for the benchmark."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    main()
