"""What a refusal's sentence must not do: the grammar every 403 is checked against."""

from __future__ import annotations

import itertools
import re

VERBS = {"read", "give", "act", "replay", "see"}
# Words our sentences use that begin with a vowel letter and a vowel sound, or not.
CONSONANT_SOUND = ("one", "uni", "use", "usu")


def grammar_faults(sentence: str) -> list[str]:
    """Every fault found in `sentence` (empty when it reads as plain English)."""
    faults = []
    if not sentence[:1].isupper() or not sentence.endswith("."):
        faults.append("not a sentence (a capital to a full stop)")
    words = re.findall(r"[\w'’-]+", sentence.lower())
    for first, second in itertools.pairwise(words):
        vowel = second[0] in "aeiou" and not second.startswith(CONSONANT_SOUND)
        if first == "a" and vowel:
            faults.append(f"'a' before a vowel sound: a {second}")
        if first == "an" and not vowel:
            faults.append(f"'an' before a consonant sound: an {second}")
    for twice in re.finditer(r"\b(\w+) \1\b", sentence, re.IGNORECASE):
        faults.append(f"a word twice: {twice.group(0).lower()}")
    if "_" in sentence:
        faults.append("a code with an underscore")
    # A role's or an action's code that is no word people use (the rest have underscores).
    for code in ("ops", "viewers"):
        if re.search(rf"\b{code}\b", sentence):
            faults.append(f"a raw code: {code}")
    after = re.search(r"may not (\w+)", sentence)
    if after is None or after.group(1) not in VERBS:
        faults.append("'may not' is not followed by a verb people use")
    if re.search(r"\bthis (this|the|a|an)\b", sentence):
        faults.append("'this' before another determiner")
    return faults
