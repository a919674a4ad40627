"""The shared analysis and the query language: what every backend is given."""

import pytest

from search.analysis import analyse, stem, tokens
from search.query import MAX_CLAUSES, MAX_QUERY_LENGTH, Phrase, parse
from search.ranking import TIEBREAK_MODULUS, tiebreak_for


def test_analysis_folds_case_and_accents_drops_stop_words_and_stems():
    assert tokens("The Café's Cleaning Services") == ["cafe", "clean", "servic"]


def test_american_spellings_stem_as_british():
    assert stem("organization") == stem("organisation") == "organis"
    assert stem("analyze") == stem("analyse")


def test_analyse_keeps_digits_and_splits_codes():
    assert analyse("CPV 72000000-5") == "cpv 72000000 5"


def test_words_are_anded_clauses():
    query = parse("cloud hosting")
    assert query.clauses == ((Phrase(("cloud",)),), (Phrase(("host",)),))
    assert query.excluded == ()
    assert not query.browses


def test_a_quoted_phrase_is_one_clause_of_adjacent_stems():
    assert parse('"grounds maintenance"').clauses == ((Phrase(("ground", "mainten")),),)


def test_a_hyphenated_word_is_a_phrase():
    assert parse("e-mail").clauses == ((Phrase(("e", "mail")),),)


def test_minus_excludes_a_word_or_a_phrase():
    query = parse('cleaning -windows -"deep clean"')
    assert query.clauses == ((Phrase(("clean",)),),)
    assert query.excluded == (Phrase(("window",)), Phrase(("deep", "clean")))


@pytest.mark.parametrize("text", ["cloud or hosting", "cloud OR hosting"])
def test_or_joins_the_words_either_side_into_one_clause(text):
    assert parse(text).clauses == ((Phrase(("cloud",)), Phrase(("host",))),)


def test_or_at_either_end_is_ignored():
    assert parse("or cloud or").clauses == ((Phrase(("cloud",)),),)


def test_an_empty_query_browses():
    query = parse("   ")
    assert query.browses
    assert query.notices == ()


def test_only_stop_words_browse_with_a_notice():
    query = parse("the of and")
    assert query.browses
    assert len(query.notices) == 1
    assert "too common" in query.notices[0]


def test_an_unclosed_quote_runs_to_the_end_with_a_notice():
    query = parse('"grounds maintenance')
    assert query.clauses == ((Phrase(("ground", "mainten")),),)
    assert "not closed" in query.notices[0]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("' OR 1=1", ((Phrase(("1", "1")),),)),
        ("*:*", ()),
        ("\\", ()),
        ("foo:A & bar | !baz <-> qux", None),
    ],
)
def test_query_syntax_of_databases_and_elasticsearch_is_only_words(text, clauses):
    query = parse(text)
    stems = {stem for clause in query.clauses for phrase in clause for stem in phrase.stems}
    assert all(stem.isalnum() for stem in stems)
    if clauses is not None:
        assert query.clauses == clauses


def test_a_very_long_query_is_cut_with_a_notice():
    query = parse("word " * 2000)
    assert len(query.text) <= MAX_QUERY_LENGTH
    assert query.notices[0].startswith("Your search was too long")


def test_too_many_words_are_cut_to_the_clause_limit_with_a_notice():
    query = parse(" ".join(f"word{n}" for n in range(MAX_CLAUSES + 5)))
    assert len(query.clauses) == MAX_CLAUSES
    assert any("Only the first" in notice for notice in query.notices)


def test_highlight_stems_are_the_positive_words_only():
    assert parse('cloud "data centre" -secret').highlight_stems == {"cloud", "data", "centr"}


def test_the_tiebreak_is_stable_within_a_day_and_differs_across_days():
    from datetime import date

    monday, tuesday = tiebreak_for(date(2026, 12, 7)), tiebreak_for(date(2026, 12, 8))
    assert tiebreak_for(date(2026, 12, 7)) == monday
    ids = range(1, 200)
    assert sorted(ids, key=monday.key) != sorted(ids, key=tuesday.key)
    assert all(0 <= monday.key(pk) < TIEBREAK_MODULUS for pk in ids)
    # Distinct ids get distinct keys: the multiplier is invertible modulo the prime.
    assert len({monday.key(pk) for pk in ids}) == len(ids)
