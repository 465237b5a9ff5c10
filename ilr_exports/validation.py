"""Validating an ILR file against its XSD while streaming it, naming the learner and
element of the first error. No Django here: `python -m ilr_exports.validation SCHEMA NS`
validates its standard input in a process of its own, so the file can be checked on the
other core while it is being written (lxml holds the GIL, so a thread would not help)."""

from __future__ import annotations

import copy
import functools
import json
import re
import sys
from pathlib import Path
from typing import IO, Any

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
_LRN = re.compile(rb"<LearnRefNumber>([^<]*)</LearnRefNumber>")


@functools.cache
def learner_schema(schema_path: str) -> etree.XMLSchema:
    """The year's schema with its Learner declared globally too, so each learner's small tree
    is checked against every facet (pattern, length, enumeration, character set) on its own,
    before it is written (about 10-30 microseconds a learner, in C).

    The file carries one default namespace, on Message (as FIS writes it), so each Learner is
    built and written without one and takes Message's when the file is read; this schema is
    the year's without its target namespace, to check those namespace-free Learners."""
    text = Path(schema_path).read_text(encoding="utf-8")
    root = etree.fromstring(text.encode())
    namespace = root.get("targetNamespace")
    if namespace:
        for attribute in (f'xmlns="{namespace}"', f'targetNamespace="{namespace}"'):
            text = text.replace(attribute, "", 1)
    doc = etree.ElementTree(etree.fromstring(text.encode()))
    (learner,) = doc.getroot().xpath("//xs:element[@name='Learner']", namespaces={"xs": XS})
    declaration = copy.deepcopy(learner)
    for attribute in ("minOccurs", "maxOccurs"):
        declaration.attrib.pop(attribute, None)
    doc.getroot().append(declaration)
    return etree.XMLSchema(doc)


def learner_problems(schema: etree.XMLSchema, learner: etree._Element) -> list[str]:
    """What the schema refuses in one Learner element, as 'Element: message' lines."""
    if schema.validate(learner):
        return []
    reasons = []
    for entry in schema.error_log:
        message = re.sub(r"\{[^}]*\}", "", entry.message)
        match = re.match(r"Element '([^']+)': (.*)", message, re.DOTALL)
        element, text = match.groups() if match else ("Learner", message)
        reasons.append(f"{element}: {text} The ILR schema does not accept it.")
    return reasons


def first_refused_learner(handle: IO[bytes], schema: etree.XMLSchema) -> str | None:
    """The first learner of a written file (a learner a line) that the learner schema refuses
    on its own. The streaming parser reports a schema error only after reading on, so the
    learner it last saw is not the one at fault: this names the right one."""
    handle.seek(0)
    for line in handle:
        if line.startswith(b"<Learner"):
            learner = etree.fromstring(line)
            if not schema.validate(learner):
                found = _LRN.search(line)
                return found.group(1).decode() if found else None
    return None


def validate_stream(
    handle: IO[bytes], *, schema: etree.XMLSchema, namespace: str
) -> dict[str, Any] | None:
    """None when the file is valid, else the first problem: its message and the last learner
    the parser read (the caller names the learner at fault: first_refused_learner)."""
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
        return {"message": error.msg, "current": current}
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
