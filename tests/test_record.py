"""Each record class (record.py) behaves as the dataclass it replaced: the same
``__init__`` parameters and defaults, ``repr``, ``==``, hash, refused assignment when frozen,
pickling and copying. The dataclass is made here from the record's own declaration, so a field
added to one and not the other fails."""

import copy
import dataclasses
import inspect
import pickle

import pytest

from digital_coalitions.api import MemoText
from digital_coalitions.casefiles.evidence import Assumed
from digital_coalitions.casefiles.loader import CaseBase, CaseFile, CaseSet, Dating
from digital_coalitions.casefiles.overrides import OverriddenCase
from digital_coalitions.casefiles.question import CaseChoice
from digital_coalitions.record import FrozenRecord
from digital_coalitions.casefiles.schema import Field, Scale
from digital_coalitions.inference.answer import Answer, Step
from digital_coalitions.inference.engine import Firing
from digital_coalitions.rules.base import RuleInfo
from digital_coalitions.rules.concepts import Concept
from digital_coalitions.rules.verdict import Branch

RECORDS = [Scale, Field, Dating, CaseSet, CaseBase, CaseChoice, Step, Answer, MemoText, Assumed,
           CaseFile, OverriddenCase, Concept, Branch]


def as_dataclass(record):
    """The dataclass the record class stands for: its fields, defaults, repr and compare."""
    parameters = list(inspect.signature(record.__init__).parameters.values())[1:]
    assert [p.name for p in parameters] == list(record.FIELDS)
    spec = []
    for p in parameters:
        options = {"repr": p.name not in record.UNSHOWN, "compare": p.name not in record.UNCOMPARED}
        if p.default is not inspect.Parameter.empty:
            options["default"] = p.default
        spec.append((p.name, object, dataclasses.field(**options)))
    return dataclasses.make_dataclass(record.__qualname__, spec,
                                      frozen=issubclass(record, FrozenRecord))


def values(record, shift=0):
    """Hashable sample values, positional, one per field (``shift`` makes another instance)."""
    return [(name, i + shift) for i, name in enumerate(record.FIELDS)]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__qualname__)
def test_a_record_is_the_dataclass_it_replaced(record, monkeypatch):
    if record is Field:  # its __post_init__ checks the type: a plain one takes any value
        monkeypatch.setattr(Field, "__post_init__", lambda self: None)
    twin = as_dataclass(record)
    a, b, other = record(*values(record)), record(*values(record)), record(*values(record, 1))
    twin_a, twin_other = twin(*values(record)), twin(*values(record, 1))
    assert repr(a) == repr(twin_a) and repr(other) == repr(twin_other)
    assert a == b and a != other and (a == twin_a) is False  # another class is not equal
    assert (a != other) == (twin_a != twin_other)
    if issubclass(record, FrozenRecord):
        assert hash(a) == hash(b) == hash(twin_a)
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.__setattr__(record.FIELDS[0], "changed")
        with pytest.raises(dataclasses.FrozenInstanceError):
            twin_a.__setattr__(record.FIELDS[0], "changed")
        with pytest.raises(dataclasses.FrozenInstanceError):
            del a.__dict__  # not a field, but a frozen record refuses every deletion
    else:
        with pytest.raises(TypeError):
            hash(a)
        with pytest.raises(TypeError):
            hash(twin_a)
        a.__setattr__(record.FIELDS[0], "changed")
        assert getattr(a, record.FIELDS[0]) == "changed" and a != b
        a = record(*values(record))
    for again in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert again == a and repr(again) == repr(a) and type(again) is record
    # the defaults are the dataclass's
    defaults = {name: field.default for name, field in twin.__dataclass_fields__.items()
                if field.default is not dataclasses.MISSING}
    required = [v for (name, _), v in zip(values(record), values(record))
                if name not in defaults]
    assert repr(record(*required)) == repr(twin(*required))


def test_the_real_values_compare_and_print_as_before():
    scale = Scale("size", ("small", "large"))
    assert repr(scale) == "Scale(name='size', words=('small', 'large'), ordered=True, doc='')"
    assert Field("x", "bool", default=False) == Field("x", "bool", default=False)
    assert {Dating(None, 2023, (2023,))} == {Dating(None, 2023, (2023,), False)}
    with pytest.raises(ValueError):
        Field("x", "no-such-type")


def test_a_firing_is_the_dataclass_it_replaced_with_lists_of_its_own():
    """Firing's two lists were ``field(default_factory=list)``: each firing gets its own."""
    twin = dataclasses.make_dataclass("Firing", [
        ("step", int), ("rule", str), ("matched", list),
        ("consulted", list, dataclasses.field(default_factory=list)),
        ("asserted", list, dataclasses.field(default_factory=list))])
    a, twin_a = Firing(1, "V-08", [3, 1]), twin(1, "V-08", [3, 1])
    assert repr(a) == repr(twin_a) == "Firing(step=1, rule='V-08', matched=[3, 1], consulted=[], asserted=[])"
    b = Firing(step=1, rule="V-08", matched=[3, 1])
    assert a == b and a.consulted is not b.consulted and a.asserted is not b.asserted
    a.asserted.append(7)
    assert a != b and b.asserted == [] and repr(Firing(1, "V-08", [3, 1], [2], [7])) == repr(
        twin(1, "V-08", [3, 1], [2], [7]))
    with pytest.raises(TypeError):
        hash(a)
    for again in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert again == a and repr(again) == repr(a) and type(again) is Firing
    assert [p.name for p in list(inspect.signature(Firing).parameters.values())] == list(
        Firing.FIELDS) == [f.name for f in dataclasses.fields(twin)]


def test_a_rule_info_is_the_frozen_dataclass_it_replaced():
    """RuleInfo (rules/base.py), a FrozenRecord: the same checks as the records above."""
    twin = dataclasses.make_dataclass("RuleInfo", [
        (name, object, dataclasses.field(**({"default": default} if default is not None else {})))
        for name, default in zip(RuleInfo.FIELDS, [None] * 8 + [(), "paper", ()])], frozen=True)
    assert [p.name for p in inspect.signature(RuleInfo).parameters.values()] == list(RuleInfo.FIELDS)
    a, b, other = (RuleInfo(*values(RuleInfo)), RuleInfo(*values(RuleInfo)),
                   RuleInfo(*values(RuleInfo, 1)))
    twin_a = twin(*values(RuleInfo))
    assert repr(a) == repr(twin_a) and a == b and a != other and (a == twin_a) is False
    assert hash(a) == hash(b) == hash(twin_a)
    for target in (a, twin_a):
        with pytest.raises(dataclasses.FrozenInstanceError):
            target.__setattr__("id", "changed")
        with pytest.raises(dataclasses.FrozenInstanceError):
            target.__delattr__("id")
    for again in (pickle.loads(pickle.dumps(a)), copy.copy(a), copy.deepcopy(a)):
        assert again == a and repr(again) == repr(a) and type(again) is RuleInfo
    required = [v for v in values(RuleInfo)][:8]
    assert repr(RuleInfo(*required)) == repr(twin(*required))
    assert RuleInfo(**{**vars(a), "id": "other"}) != a  # vars() gives every field, as before


def test_replaced_is_dataclasses_replace():
    """CaseFile.at and --set made copies with dataclasses.replace; a record's ``replaced``."""
    case = CaseFile(*values(CaseFile))
    copy_ = case.replaced(dating="then")
    assert type(copy_) is CaseFile and copy_.dating == "then" and copy_.years is case.years
    assert [getattr(copy_, n) for n in CaseFile.FIELDS if n != "dating"] == [
        getattr(case, n) for n in CaseFile.FIELDS if n != "dating"]
    overridden = OverriddenCase(*values(OverriddenCase)).replaced(dating="then")
    assert type(overridden) is OverriddenCase and overridden.overrides == ("overrides", 10)
    with pytest.raises(TypeError):
        case.replaced(no_such_field=1)
