from core.textdiff import CHANGE, DELETE, INSERT, SAME, Segment, compare


def test_identical_texts_have_no_changes():
    assert compare("第一段\n第二段", "第一段\n第二段") == []


def test_an_added_paragraph_is_an_insertion_at_its_place():
    (change,) = compare("第一段\n第三段", "第一段\n第二段\n第三段")
    assert (change.kind, change.number) == (INSERT, 2)
    assert change.segments == (Segment(INSERT, "第二段"),)


def test_a_removed_paragraph_is_a_deletion():
    (change,) = compare("第一段\n第二段", "第一段")
    assert (change.kind, change.segments) == (DELETE, (Segment(DELETE, "第二段"),))


def test_a_changed_paragraph_marks_the_characters_that_changed():
    (change,) = compare("会议在井冈山召开。", "会议在北京召开。")
    assert change.kind == CHANGE
    assert change.segments == (
        Segment(SAME, "会议在"),
        Segment(DELETE, "井冈山"),
        Segment(INSERT, "北京"),
        Segment(SAME, "召开。"),
    )


def test_blank_lines_are_not_paragraphs():
    assert compare("第一段\n\n第二段", "第一段\n第二段\n") == []
