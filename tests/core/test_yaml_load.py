"""libyaml reads what PyYAML's own parser reads, and a mistake is told in PyYAML's words."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from baocao.core import yaml_load
from baocao.core.definition import DefinitionError, available_definitions, parse_definition


def test_libyaml_is_there_and_reads_the_packaged_forms_and_values_as_pyyaml_does() -> None:
    assert yaml.__with_libyaml__
    folder = resources.files("baocao.core")
    for code in available_definitions():
        text = (folder / "definitions" / f"{code}.yaml").read_text(encoding="utf-8")
        assert yaml_load.safe_load(text) == yaml.safe_load(text)
    text = (folder / "demo" / "cam-giang-2024-q1.yaml").read_text(encoding="utf-8")
    assert yaml_load.base_load(text) == yaml.load(text, Loader=yaml.BaseLoader)


def test_a_mistake_reads_as_pyyaml_says_it() -> None:
    text = "code: x\nitems:\n  - code: 1\n   label: lệch\n"
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError) as fast:
        yaml_load.safe_load(text)
    assert str(fast.value) == str(pure.value)
    with pytest.raises(DefinitionError, match=r"không đọc được YAML: .*line 4"):
        parse_definition(text)
