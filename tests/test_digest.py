"""Content keys (io.digest): equal content gives equal keys in every process, other content other keys."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd

from kartoitus.io.digest import content_key

FRAME_CODE = ("import pandas as pd; from kartoitus.io.digest import content_key; "
              "print(content_key({'b': pd.DataFrame({'x': ['ab', None, 1.5]}), 'a': {'k', 'j'}}))")


def test_a_dict_is_keyed_by_its_content_not_its_order():
    assert content_key({"a": 1, "b": [1, 2]}) == content_key({"b": [1, 2], "a": 1})
    assert content_key({"a": 1}) != content_key({"a": 2})
    assert content_key({1: "a"}) != content_key({"1": "a"})  # an int key is not its text


def test_text_columns_keep_item_boundaries_and_types():
    def key(values):
        return content_key(pd.DataFrame({"x": pd.Series(values, dtype=object)}))

    assert key(["ab", "c"]) != key(["a", "bc"])
    assert key(["1", "2"]) != key([1, 2])
    assert key([None, "x"]) != key(["None", "x"])
    assert key([1.0, None]) != key([1, None])
    assert key([True, "x"]) != key([1, "x"])
    assert key(["ab", None, 2.5]) == key(["ab", None, 2.5])
    assert content_key(np.array(["a", "b"], dtype=object)) == content_key(np.array(["a", "b"], dtype=object))


def test_the_key_is_the_same_in_another_process():
    here = content_key({"b": pd.DataFrame({"x": ["ab", None, 1.5]}), "a": {"k", "j"}})
    env = dict(os.environ, PYTHONHASHSEED="12345")
    other = subprocess.run([sys.executable, "-c", FRAME_CODE], env=env, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == here


def test_a_frozen_model_is_keyed_once_by_its_content():
    from kartoitus.codebook.model import Labels, Option

    first = Option(code=1, labels=Labels(fi="Omat tilat"))
    assert content_key(first) == content_key(first)  # the second time from the kept key
    assert content_key(first) == content_key(Option(code=1, labels=Labels(fi="Omat tilat")))  # another object
    assert content_key(first) != content_key(Option(code=1, labels=Labels(fi="Omat toimitilat")))
    assert content_key((first, first)) != content_key((first,))
