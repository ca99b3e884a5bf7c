"""Names as people type them: hyphenated surnames and titles set off from the name."""

from retrieval.names import find_mentions, name_key
from retrieval.tokens import fold


def test_a_hyphenated_name_is_keyed_by_its_parts():
    assert name_key("Karim El-Shenawy's") == ("karim", "el", "shenawy")
    assert name_key("Kassym-Jomart Tokayev") == ("kassym", "jomart", "tokayev")


def test_a_name_with_an_apostrophe_is_keyed_by_its_parts_but_a_contraction_is_not():
    assert name_key("Zaid al-Rifa'i") == ("zaid", "al", "rifa", "i")
    assert name_key("O'Brien's") == ("o", "brien")
    assert name_key("I'm") == ("i'm",)


def test_a_particle_joined_to_a_capitalised_word_continues_a_name():
    text = "Jordanian Prime Minister Zaid al-Rifa'i met Ahmed el-Sayed on de-escalation."
    names = [m.name for m in find_mentions(text)]
    assert "Zaid al-Rifa'i" in names
    assert "Ahmed el-Sayed" in names
    assert not any("de-escalation" in n for n in names)


def test_a_title_before_its_office_marks_a_person():
    [mention] = [
        m
        for m in find_mentions("The Minister of Foreign Affairs Karim El-Shenawy met her.")
        if "Karim" in m.name
    ]
    assert mention.titled


def test_a_title_set_off_by_a_comma_marks_a_person():
    text = "Gonsalves met Pakistan's Foreign Secretary, Abdul Sattar, in New Delhi."
    [sattar] = [m for m in find_mentions(text) if m.name == "Abdul Sattar"]
    assert sattar.titled


def test_letters_without_a_decomposition_fold_to_their_base():
    assert fold("Đorđević Łukasz Øresund") == "dordevic lukasz oresund"
