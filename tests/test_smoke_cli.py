def test_list_json_on_sample(sample, cli):
    import json

    result = cli("list", "--json")
    assert result.exit_code == 0, result.stderr
    slugs = {p["slug"]: p for p in json.loads(result.stdout)}
    assert slugs["drawing-the-timetable"]["status"] == "draft"
    assert slugs["who-rides-after-midnight"]["status"] == "published"
