"""Fuzz inputs shared by the hypothesis suite and `benchmarks/fuzz.py`.

Two sources: files generated from small grammars of each format (frontmatter and
Markdown, scraped text, HTML, MedQuAD XML, sidecar YAML) built around the tokens
that broke ingest before, and real files (the seeds and MedQuAD samples in
../shared) mutated byte-wise. Choices come from a `Chooser`, so the same code runs
under hypothesis (`data.draw`) and under `random.Random` in the long benchmark.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SHARED = Path(__file__).resolve().parents[3] / "shared"

# Tokens that broke (or could break) a reader, the YAML loader or the chunker.
NASTY_TEXT: tuple[str, ...] = (
    "---\n",
    "...\n",
    "\n\n",
    "\r\n",
    "\u2028",
    "\u0085",
    "\x0c",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\u00a0",
    "&a ",
    "*a ",
    "<<: *a\n",
    "!!bool maybe",
    "!!float x",
    "!!binary aGk=",
    "!!set {a}",
    "!!python/object:os.system {}",
    "!local x",
    '"\\ud800"',
    "'",
    '"',
    "9" * 60,
    "[" * 40,
    "{" * 40,
    "]",
    "}",
    ": ",
    "- ",
    "? ",
    "# ",
    "###### ",
    "> ",
    "```",
    "~~~",
    "    ",
    "\t",
    "| a | b |\n|---|---|\n",
    "[x](http://[::1)",
    "![alt](img.png)",
    "<http://[::1>",
    "[ref]: http://[::1\n",
    "http://[::1",
    "url: http://[::1\n",
    "a. a. a. a. ",
    "Dr. ",
    "e.g. ",
    "*a **b ",
    "<div>",
    "</div>",
    "<math>",
    "<object>",
    "<![CDATA[x]]>",
    "<!--",
    "-->",
    "&#0;",
    "&amp;",
    "&unknown;",
    '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
    "&a;",
    "<QAPair pid='1'>",
    "</Answer>",
    "  -  ",
    " " * 30,
    "x" * 80,
    "é",
    "中文",
    "🙂",
)
KEYS: tuple[str, ...] = (
    "title",
    "url",
    "source",
    "sourceType",
    "audienceLevel",
    "cancerTypes",
    "language",
    "license",
    "licence",
    "citation",
    "lastReviewed",
    "reviewFrequency",
    "status",
    "tags",
    "version",
    "extra_key",
    "1",
    "true",
    "~",
    "",
)
VALUES: tuple[str, ...] = (
    "Radiotherapy",
    "",
    "~",
    "null",
    "yes",
    "maybe",
    "3",
    "-0x1F",
    "1_000",
    "190:20:30",
    ".nan",
    "-.inf",
    "1e400",
    "2025-12-30",
    "2025-13-01",
    "2025-02-30 10:00:00",
    "'2025-12-30'",
    "https://www.cancer.gov/x",
    '"http://[::1"',
    "http://x:99999/",
    "02_nci_core",
    "nci_core",
    "patient",
    "robots",
    "[breast, lung]",
    "[Breast!]",
    "{a: 1}",
    "CC BY 4.0",
    "WTFPL",
    "quarterly",
    "fortnightly",
    "retired",
    "archived",
    "&x [1, 2]",
    "*x",
    "*missing",
    "!!str 1.0",
    "!!bool maybe",
    "!!int 12",
    "!!binary aGk=",
    "!!set {a}",
    "|\n  block text\n",
    ">-\n  folded\n",
    '"\\ud800"',
    '"\\x00"',
    "[" * 25 + "]" * 25,
    "9" * 5000,
    "x" * 600,
)


class Chooser:
    """The few choices a generator makes, backed by random.Random or by hypothesis."""

    def __init__(self, integer: Callable[[int, int], int]) -> None:
        self.integer = integer

    @classmethod
    def from_random(cls, rng: random.Random) -> Chooser:
        return cls(rng.randint)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.integer(0, len(options) - 1)]

    def chance(self, percent: int) -> bool:
        return self.integer(0, 99) < percent


@dataclass
class FuzzCase:
    """One input: the file to ingest and its optional sidecar, both as bytes."""

    name: str
    data: bytes
    sidecar: bytes | None = None
    kind: str = ""
    notes: list[str] = field(default_factory=list)

    def write(self, folder: Path) -> Path:
        path = folder / self.name
        path.write_bytes(self.data)
        if self.sidecar is not None:
            (folder / f"{self.name}.meta.yaml").write_bytes(self.sidecar)
        return path


def _yaml_value(ch: Chooser, depth: int = 0) -> str:
    roll = ch.integer(0, 9)
    if roll < 6 or depth > 2:
        return ch.choice(VALUES)
    if roll < 8:
        return "[" + ", ".join(_yaml_value(ch, depth + 1) for _ in range(ch.integer(0, 3))) + "]"
    if roll < 9:
        return ch.choice(NASTY_TEXT).strip() or "x"
    return "{" + ", ".join(f"k{i}: {_yaml_value(ch, depth + 1)}" for i in range(2)) + "}"


def metadata_yaml(ch: Chooser) -> str:
    """A frontmatter or sidecar body: key: value lines, some anchored, some odd."""
    lines = []
    for _ in range(ch.integer(0, 8)):
        key = ch.choice(KEYS)
        value = _yaml_value(ch)
        if ch.chance(10):
            value = f"&a{ch.integer(0, 3)} {value}"
        if ch.chance(10):
            value = f"*a{ch.integer(0, 3)}"
        line = f"{key}: {value}"
        if ch.chance(8):
            line = ch.choice(NASTY_TEXT) + line
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def _markdown_body(ch: Chooser) -> str:
    blocks = []
    for _ in range(ch.integer(0, 8)):
        kind = ch.integer(0, 6)
        words = " ".join(
            ch.choice(("cancer", "Herceptin", "a.", "HER2+", "is", "Dr.", "x" * 9))
            for _ in range(ch.integer(1, 12))
        )
        if kind == 0:
            blocks.append("#" * ch.integer(1, 7) + " " + words)
        elif kind == 1:
            blocks.append(
                "\n".join(f"{'  ' * ch.integer(0, 3)}- {words}" for _ in range(ch.integer(1, 4)))
            )
        elif kind == 2:
            blocks.append(
                f"[{words}]({ch.choice(('rel', 'http://[::1', 'https://x.org/a', '#top', ''))})"
            )
        elif kind == 3:
            blocks.append(ch.choice(NASTY_TEXT) * ch.integer(1, 5) + words)
        else:
            blocks.append(words + ".")
    return "\n\n".join(blocks) + "\n"


VALID_FRONTMATTER = (
    "title: Radiotherapy\nsource: NCI\nsourceType: 02_nci_core\nurl: https://www.cancer.gov/r\n"
    "license: public_domain\nlastReviewed: 2025-12-30\ncancerTypes: [breast]\n"
)


def markdown_file(ch: Chooser) -> FuzzCase:
    roll = ch.integer(0, 9)
    if roll < 4:
        front = f"---\n{metadata_yaml(ch)}---\n\n"
    elif roll < 7:
        front = f"---\n{VALID_FRONTMATTER}---\n\n"
    else:
        front = ""
    name = ch.choice(("fuzz.md", "fuzz doc.md", "fuzz\nname.md", "fuzz\x1b.md", "fuzz.txt"))
    return FuzzCase(
        name, (front + _markdown_body(ch)).encode("utf-8", "surrogatepass"), kind="markdown"
    )


def text_file(ch: Chooser) -> FuzzCase:
    lines = [
        ch.choice(
            (
                "Radiotherapy",
                "",
                "• item",
                "Open a glossary item",
                "Diagram showing x",
                "Related links",
                "a. a. a.",
                "x" * 120,
            )
        )
        for _ in range(ch.integer(0, 12))
    ]
    if ch.chance(30):
        lines.insert(ch.integer(0, len(lines)), ch.choice(NASTY_TEXT))
    return FuzzCase("fuzz.txt", "\n".join(lines).encode("utf-8", "surrogatepass"), kind="text")


def html_file(ch: Chooser) -> FuzzCase:
    tags = (
        "p",
        "div",
        "main",
        "article",
        "nav",
        "footer",
        "h1",
        "h2",
        "ul",
        "li",
        "table",
        "td",
        "a",
        "math",
        "object",
        "body",
        "html",
        "head",
        "title",
        "script",
    )
    parts = []
    for _ in range(ch.integer(1, 25)):
        roll = ch.integer(0, 9)
        tag = ch.choice(tags)
        if roll < 4:
            parts.append(f"<{tag}>")
        elif roll < 7:
            parts.append(f"</{tag}>")
        elif roll < 8:
            parts.append(f"<a href='{ch.choice(('http://[::1', 'rel', 'https://x.org'))}'>link</a>")
        else:
            parts.append(ch.choice(("Radiotherapy uses rays.", "text", *NASTY_TEXT)))
    return FuzzCase("fuzz.html", "".join(parts).encode("utf-8", "surrogatepass"), kind="html")


def medquad_file(ch: Chooser) -> FuzzCase:
    pairs = []
    for i in range(ch.integer(0, 4)):
        pid = ch.choice((str(i + 1), "1", "", "a b", "x" * 50))
        answer = ch.choice(
            ("An answer.", "", "    - one    - two", " " * 200, "a. " * 40, *NASTY_TEXT)
        )
        question = ch.choice(("What is it?", "", *NASTY_TEXT[:10]))
        qtype = ch.choice(("treatment", "", "x y"))
        pairs.append(
            f"<QAPair pid='{pid}'><Question qid='q{i}' qtype='{qtype}'>"
            f"{question}</Question><Answer>{answer}</Answer></QAPair>"
        )
    root = ch.choice(("Document", "doc", "DiseaseFile", "html"))
    source = ch.choice(("GARD", "CancerGov", "", "Some Source", "x\ty"))
    focus = ch.choice(("Focus", "", "x" * 600))
    body = (
        f"<{root} id='0000001' source='{source}'><Focus>{focus}</Focus>"
        f"<QAPairs>{''.join(pairs)}</QAPairs></{root}>"
    )
    if ch.chance(15):
        body = body[: ch.integer(0, len(body))]
    return FuzzCase("0000001.xml", body.encode("utf-8", "surrogatepass"), kind="medquad")


def sidecar_case(ch: Chooser) -> FuzzCase:
    case = markdown_file(ch) if ch.chance(50) else text_file(ch)
    case.sidecar = metadata_yaml(ch).encode("utf-8", "surrogatepass")
    case.kind += "+sidecar"
    return case


GENERATORS: dict[str, Callable[[Chooser], FuzzCase]] = {
    "markdown": markdown_file,
    "text": text_file,
    "html": html_file,
    "medquad": medquad_file,
    "sidecar": sidecar_case,
}


def seed_files(shared: Path = SHARED, medquad_per_folder: int = 3) -> list[Path]:
    """Real files to mutate: both seeds and the first MedQuAD files of each folder."""
    files = sorted((shared / "seeds").glob("*.txt"))
    corpus = shared / "corpus" / "medquad"
    if corpus.is_dir():
        for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
            files.extend(sorted(folder.glob("*.xml"))[:medquad_per_folder])
    return files


def mutate(ch: Chooser, data: bytes) -> bytes:
    """A few byte-level edits: flip, insert a nasty token, delete, duplicate, truncate."""
    out = bytearray(data)
    for _ in range(ch.integer(1, 4)):
        at = ch.integer(0, len(out))
        op = ch.integer(0, 5)
        if op == 0 and out:
            out[min(at, len(out) - 1)] = ch.integer(0, 255)
        elif op == 1:
            out[at:at] = ch.choice(NASTY_TEXT).encode("utf-8", "surrogatepass")
        elif op == 2:
            del out[at : at + ch.integer(1, 200)]
        elif op == 3:
            out[at:at] = out[at : at + ch.integer(1, 400)] * ch.integer(1, 4)
        elif op == 4:
            del out[at:]
        else:
            out[at:at] = bytes(ch.integer(0, 255) for _ in range(ch.integer(1, 8)))
    return bytes(out)


def mutated_file(ch: Chooser, sources: Sequence[Path]) -> FuzzCase:
    """A mutated real file: a seed or a MedQuAD file, with even odds between the two."""
    seeds = [p for p in sources if p.suffix != ".xml"] or list(sources)
    xml = [p for p in sources if p.suffix == ".xml"] or list(sources)
    source = ch.choice(seeds if ch.chance(50) else xml)
    name = source.name if not source.name.endswith(".txt") or ch.chance(50) else source.stem + ".md"
    return FuzzCase(name, mutate(ch, source.read_bytes()), kind=f"mutated {source.suffix}")
