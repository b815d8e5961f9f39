"""Java's text forms the runtime reproduces: String.hashCode, HashMap order, String.valueOf."""

from __future__ import annotations

from generator.runtime.javatext import java_hashmap_order, java_string, java_string_hash


def test_string_hash_matches_java():
    # values of String.hashCode() in Java (as unsigned 32-bit)
    assert java_string_hash("") == 0
    assert java_string_hash("abc") == 96354
    assert java_string_hash("hello") == 99162322
    assert java_string_hash("polygenelubricants") == 2**31  # Integer.MIN_VALUE
    assert java_string_hash("Aa") == java_string_hash("BB") == 2112


def test_hashmap_order_is_by_bucket_then_insertion():
    # "Aa" and "BB" collide: same bucket, kept in insertion order
    assert java_hashmap_order(["BB", "Aa"]) == ["BB", "Aa"]
    assert java_hashmap_order(["Aa", "BB"]) == ["Aa", "BB"]
    # the OAuth token form: a default-sized HashMap (16 buckets)
    assert java_hashmap_order(["grant_type", "audience", "scope", "client_id", "client_secret"], copied=False) == [
        "audience", "grant_type", "scope", "client_secret", "client_id",
    ]


def test_string_value_of_json_values():
    assert java_string(None) == "null"
    assert java_string(True) == "true"
    assert java_string(12) == "12"
    assert java_string(1.5) == "1.5"
    assert java_string(100.0) == "100.0"
    assert java_string(1e-5) == "1.0E-5"
    assert java_string(12345678.9) == "1.23456789E7"
    assert java_string({"a": 1, "b": [1, "x", None], "c": {"d": False}}) == "{a=1, b=[1, x, null], c={d=false}}"


def test_hashmap_order_of_a_copy_with_later_puts():
    # new HashMap<>(Map.of("tries", 3)) then put("error", ...): sized for 1 entry (2 buckets), doubled
    # to 4 on the second put; "tries" (hash 110628761) -> bucket 1, "error" (hash 96784904) -> 0
    assert java_string_hash("tries") == 110628761
    assert java_hashmap_order(["tries", "error"], copied_entries=1) == ["error", "tries"]
    # a copy of an empty map is not presized: 16 buckets, "a" (97) -> 1, "error" -> 12
    assert java_hashmap_order(["error", "a"], copied_entries=0) == ["a", "error"]
