"""The error catalogue (``loyalty_desk.messages``) has a sentence for every code the package can
refuse with, and each sentence has its Chinese translation for the screens."""

from __future__ import annotations

import ast
import re
import string
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import loyalty_desk
from loyalty_desk.domain.errors import DomainError
from loyalty_desk.messages import CONTEXT, MESSAGES, describe

PACKAGE = Path(loyalty_desk.__file__).parent
TRANSLATIONS = PACKAGE.parent / "resources" / "translations" / "loyalty_desk_zh_CN.ts"
CODE = re.compile(r"^[a-z_]+(\.[a-z_]+)+$|^[a-z_]+$")
# Where a refusal code is carried without being raised: redemption blocks, earning outcomes
# (``...Outcome``), reasons recorded for a rejected operation (``..reject..`` calls, tuples with
# the status "rejected"), ``code=``/``reason_code=`` keywords.
CODE_CARRIERS = {"Block"}
CODE_KEYWORDS = {"code", "reason_code"}


def _trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts}


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _error_classes(trees: dict[Path, ast.Module]) -> tuple[set[str], set[str]]:
    """Names of DomainError and its subclasses: those whose first argument is the code, and those
    that name their own code (``NotFound``)."""
    classes: dict[str, ast.ClassDef] = {}
    names = {"DomainError"}
    grown = True
    while grown:
        grown = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                    (base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)) in names for base in node.bases
                ):
                    names.add(node.name)
                    classes[node.name] = node
                    grown = True
    fixed = set()
    for name, node in classes.items():
        init = next((item for item in node.body if isinstance(item, ast.FunctionDef) and item.name == "__init__"), None)
        if init is not None and (len(init.args.args) < 2 or init.args.args[1].arg != "code"):
            fixed.add(name)
    return names - fixed, fixed


def _constant(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value) else None


def _dotted(node: ast.AST) -> str | None:
    code = _constant(node)
    return code if code is not None and "." in code else None


def codes_in_package() -> dict[str, str]:
    """Every refusal code written in the package, with where it is first written."""
    trees = _trees()
    takes_code, names_own_code = _error_classes(trees)
    found: dict[str, str] = {}

    def add(code: str | None, path: Path, node: ast.AST) -> None:
        if code is not None:
            found.setdefault(code, f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', '?')}")

    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in names_own_code:
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and _callee(call) == "__init__" and call.args:
                        add(_constant(call.args[0]), path, call)
            if isinstance(node, ast.Call):
                callee = _callee(node) or ""
                if callee in takes_code and node.args:
                    add(_constant(node.args[0]), path, node)
                if callee in CODE_CARRIERS or callee.endswith("Outcome") or "reject" in callee:
                    for argument in node.args:
                        add(_dotted(argument), path, node)
                for keyword in node.keywords:
                    if keyword.arg in CODE_KEYWORDS:
                        add(_constant(keyword.value), path, node)
            verdict = ("rejected", "REJECTED")  # written out, or the protocol's constant
            if isinstance(node, ast.Tuple) and any(_constant(item) in verdict or getattr(item, "id", None) in verdict for item in node.elts):
                for item in node.elts:
                    add(_dotted(item), path, node)
    return found


def test_the_scan_finds_codes_of_every_kind_of_refusal() -> None:
    codes = codes_in_package()
    assert {"identity.check_digit", "not_found", "redeem.tier", "earning.repayment_late", "central.constraint", "sync.push_refused"} <= set(codes)


def test_every_code_the_package_refuses_with_has_a_sentence() -> None:
    missing = {code: where for code, where in codes_in_package().items() if code not in MESSAGES}
    assert not missing, f"codes without a sentence in loyalty_desk/messages.py: {missing}"


def test_every_sentence_fills_its_placeholders_on_the_command_line() -> None:
    for code, template in MESSAGES.items():
        fields = {name: spec for _, name, spec, _ in string.Formatter().parse(template) if name}
        assert all(name.isidentifier() for name in fields), code
        params = {name: datetime(2026, 3, 1, 9, 30) if "%" in (spec or "") else 1234 for name, spec in fields.items()}
        text = describe(DomainError(code, **params))
        assert text != code and "{" not in text, code


def _translations() -> dict[str, tuple[str | None, str]]:
    """Source sentence -> (translation type, translation) in the catalogue's context."""
    found: dict[str, tuple[str | None, str]] = {}
    for context in ET.parse(TRANSLATIONS).getroot().iter("context"):
        if context.findtext("name") != CONTEXT:
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None:
                found[message.findtext("source") or ""] = (translation.get("type"), translation.text or "")
    return found


def test_every_sentence_has_its_chinese_translation_with_the_same_placeholders() -> None:
    translations = _translations()
    for code, sentence in MESSAGES.items():
        assert sentence in translations, f"{code}: not in {TRANSLATIONS.name}; run tools/update_translations.sh"
        kind, chinese = translations[sentence]
        assert kind is None and chinese.strip(), f"{code}: the Chinese translation is missing or unfinished"
        placeholders = {name for _, name, _, _ in string.Formatter().parse(sentence) if name}
        assert {name for _, name, _, _ in string.Formatter().parse(chinese) if name} == placeholders, code
