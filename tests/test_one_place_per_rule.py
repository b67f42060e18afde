"""Each rule is said once: no refusal a workflow's validator gives repeats, word for word or in
part, a rule the domain states. A validator checks only what its process knows (this record,
an action under way, the process closed) and asks the domain's own predicate for the rest."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
REFUSALS = {"require", "RuleBroken", "ValueError", "ApplicationError"}
"""The calls whose first argument is a refusal's words."""
FRAGMENT = 12
"""A fixed run of words this long (in characters) shared with a domain rule is a copy."""


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def refusals(package: str) -> list[tuple[str, list[str]]]:
    """Each refusal's place and the fixed parts of its message (an f-string's text around its
    holes), in every module of `package`."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in REFUSALS:
                continue
            parts = [_words(n.value) for n in ast.walk(node.args[-1] if name == "require"
                                                       else node.args[0])
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if any(parts):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", [p for p in parts if p]))
    return found


def test_the_scan_finds_the_domains_rules_and_the_validators_refusals() -> None:
    domain = refusals("domain")
    assert len(domain) > 100  # the scan sees the rules (it would pass vacuously otherwise)
    assert any("a closed case refuses every further command" in p for _, ps in domain for p in ps)
    assert any("the command is for another record" in p for _, ps in refusals("workflows")
               for p in ps)


def test_no_refusal_in_the_workflows_repeats_a_rule_of_the_domain() -> None:
    rules = [" ".join(parts) for _, parts in refusals("domain")]
    copies = [(where, part) for where, parts in refusals("workflows") for part in parts
              if len(part) >= FRAGMENT and any(part in rule for rule in rules)]
    assert copies == [], ("These refusals restate a domain rule; call the domain's predicate "
                          f"instead: {copies}")
