from returns.spool import ChildIds


def test_child_ids_count_and_membership_across_batches(monkeypatch):
    monkeypatch.setattr(ChildIds, "BATCH", 3)  # some ids written to disk, some still waiting
    with ChildIds() as passed:
        for child in ["A", "B", "A", "C", "D", "B", "E"]:
            passed.add(child)
        assert "A" in passed and "E" in passed
        assert "Z" not in passed
        assert passed.count_without({}) == 5
        assert passed.count_without({"B": 1, "Z": 2}) == 4  # a held child never let through does not count
