"""Anomaly detection: datasets, profiles, detectors, training, checks, streams, feedback, evaluation, access."""

from behave import given, then, when
from hamcrest import all_of, assert_that, has_entries, has_item, is_in, is_not

from support.data.builders import ghost_id_like
from support.data.tables import (
    count_of,
    docstring_bytes,
    generated_readings,
    generated_readings_csv,
    one_column_csv,
    quoted_values,
    reading,
    readings_of,
    stream_line,
    structured_rows,
    table_of,
)
from support.matchers.answers import is_problem, never_existed_like, refused_for
from support.matchers.detection import (
    anomaly_count_agrees,
    close_to,
    flagged_positions,
    flags_exactly,
    index_base,
    names_a_row,
    refused_as_too_large,
    results_of,
    same_results,
    verdict,
)
from support.tasks import anomaly as work
from support.tasks.anomaly_access import (
    attempt,
    intrude,
    not_found_like_ghost,
    refused_as_forbidden,
    unknown_like_ghost,
)

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7}
EMPTY_FILES = {"an empty file": b"", "a file with only its header line": b"meter,temperature\n"}
PROFILE_FIELDS = ("row_count", "duplicate_rows", "columns")
STATISTICS = ("mean", "std", "min", "max", "p25", "p50", "p75")


def _owner_of_work(world, name):
    """A person by name, or the person of the tenant `name` who remembers a piece of work."""
    if name in world.actors:
        return world.actors[name]
    for actor in world.actors.values():
        if actor.tenant.name == name and actor.knows("work"):
            return actor
    raise AssertionError(f"Nobody of {name} has trained a detector on a dataset yet")


def _ordinal(word):
    try:
        return ORDINALS[word]
    except KeyError:
        raise AssertionError(f"'{word}' is not an ordinal this suite knows ({', '.join(ORDINALS)})") from None


# -- tenants and plans ---------------------------------------------------------------------------
@given("{tenant:w} is a customer on the {plan:w} plan")
def step_customer_on_plan(context, tenant, plan):
    context.world.on_plan(tenant, plan)


# -- datasets ------------------------------------------------------------------------------------
@given('{who:Person} has uploaded the "{name}" dataset of {rows:d} readings')
def step_has_uploaded_dataset(context, who, name, rows):
    analyst = context.world.person(who)
    local, uploaded = work.upload_file(analyst, name)
    context.world.mention("local dataset", local)
    assert_that(uploaded, has_entries(row_count=rows), analyst.anomaly.evidence())


@given('{who:Person} has uploaded the CSV dataset "{name}":')
@when('{who:Person} uploads the CSV dataset "{name}":')
def step_uploads_csv_table(context, who, name):
    work.upload_table(context.world.person(who), name, context.table)


@given("{who:Person} has uploaded a CSV dataset whose {column:w} column holds {values}")
@when("{who:Person} uploads a CSV dataset whose {column:w} column holds {values}")
def step_uploads_one_column(context, who, column, values):
    analyst = context.world.person(who)
    analyst.remember("dataset", analyst.anomaly.upload_csv(f"{column} readings",
                                                           one_column_csv(column, quoted_values(values))))


@when("{who:Person} uploads these meter readings once as a CSV file and once as structured rows:")
def step_uploads_twice(context, who):
    analyst = context.world.person(who)
    columns, rows = table_of(context.table)
    from_file = work.upload_table(analyst, "meter readings (file)", context.table)
    from_rows = analyst.anomaly.create_dataset("meter readings (rows)", columns=columns, rows=structured_rows(rows))
    analyst.remember("datasets", (from_file, from_rows))


@when("{who:Person} tries to upload {file} as a dataset")
def step_tries_to_upload_empty(context, who, file):
    anomaly = context.world.person(who).anomaly
    assert file in EMPTY_FILES, f"'{file}' is not one of {', '.join(EMPTY_FILES)}"
    context.world.spotlight.remember("answer", anomaly.attempt(anomaly.upload_csv, "nothing", EMPTY_FILES[file]))


@when("{who:Person} tries to upload this file as a dataset:")
def step_tries_to_upload_text(context, who):
    anomaly = context.world.person(who).anomaly
    answer = anomaly.attempt(anomaly.upload_csv, "uneven readings", docstring_bytes(context.text))
    context.world.spotlight.remember("answer", answer)


@when("{who:Person} uploads a file of {count} readings")
def step_uploads_many(context, who, count):
    analyst = context.world.person(who)
    analyst.remember("dataset", analyst.anomaly.upload_csv("many readings", generated_readings_csv(count_of(count))))


@when("{who:Person} tries to upload a file of {count} readings")
def step_tries_to_upload_many(context, who, count):
    anomaly = context.world.person(who).anomaly
    answer = anomaly.attempt(anomaly.upload_csv, "too many readings", generated_readings_csv(count_of(count)))
    context.world.spotlight.remember("answer", answer)


@when("{who:Person} deletes that dataset")
def step_deletes_dataset(context, who):
    analyst = context.world.person(who)
    analyst.anomaly.delete_dataset(analyst.recall("dataset")["id"])


@then("the dataset holds {rows} rows")
def step_dataset_holds(context, rows):
    analyst = context.world.spotlight
    uploaded = analyst.recall("dataset")
    assert_that(uploaded, has_entries(row_count=count_of(rows)), f"The upload answered {uploaded}")
    assert_that(analyst.anomaly.get_dataset(uploaded["id"]), has_entries(row_count=count_of(rows)),
                analyst.anomaly.evidence())


@then("its {column:w} column is {kind:w}")
def step_column_is(context, column, kind):
    analyst = context.world.spotlight
    dataset = analyst.anomaly.get_dataset(analyst.recall("dataset")["id"])
    assert_that(dataset["columns"], has_item(has_entries(name=column, type=kind)), analyst.anomaly.evidence())


@then("both datasets hold {rows:d} rows with the same columns of the same types")
def step_both_datasets_same(context, rows):
    analyst = context.world.spotlight
    from_file, from_rows = (analyst.anomaly.get_dataset(dataset["id"]) for dataset in analyst.recall("datasets"))
    assert_that(from_rows, has_entries(row_count=rows, columns=from_file["columns"]),
                f"The CSV file gave {from_file}; the structured rows gave {from_rows}")
    assert_that(from_file, has_entries(row_count=rows), analyst.anomaly.evidence())


@then("both datasets have the same profile")
def step_both_profiles_same(context):
    analyst = context.world.spotlight
    from_file, from_rows = ({key: analyst.anomaly.profile(dataset["id"]).get(key) for key in PROFILE_FIELDS}
                            for dataset in analyst.recall("datasets"))
    assert from_file == from_rows, f"The CSV file's profile is {from_file}; the structured rows' is {from_rows}"


@then("the upload is refused as an empty dataset")
def step_refused_empty(context):
    assert_that(context.world.spotlight.recall("answer"), refused_for("empty_dataset"))


@then("the upload is refused naming the {ordinal:w} data row")
def step_refused_naming_row(context, ordinal):
    answer, row = context.world.spotlight.recall("answer"), _ordinal(ordinal)
    assert_that(answer, is_problem("validation-failed"))
    # counted from 0 or from 1, or as the line of the file (the header is line 1)
    names_a_row(answer, {row - 1, row, row + 1}, what=f"the {ordinal} data row")


@then("the upload is refused as over the plan's quota")
def step_upload_over_quota(context):
    analyst = context.world.spotlight
    assert_that(analyst.recall("answer"), is_problem("quota-exceeded"))
    assert_that(analyst.anomaly.list_datasets(page_size=100), has_entries(total=0), analyst.anomaly.evidence())


@then("the dataset can no longer be read")
def step_dataset_gone(context):
    anomaly, dataset_id = context.world.spotlight.anomaly, context.world.spotlight.recall("dataset")["id"]
    ghost = anomaly.attempt(anomaly.get_dataset, ghost_id_like(dataset_id))
    assert_that(anomaly.attempt(anomaly.get_dataset, dataset_id),
                all_of(is_problem("not-found"), never_existed_like(ghost)))


@then("it is not among {tenant:w}'s datasets any more")
def step_not_listed(context, tenant):
    analyst = context.world.spotlight
    listing = analyst.anomaly.list_datasets(page_size=100)
    assert_that(listing["items"], is_not(has_item(has_entries(id=analyst.recall("dataset")["id"]))),
                analyst.anomaly.evidence())


# -- profile -------------------------------------------------------------------------------------
@when("{who:Person} looks at the dataset's profile")
def step_looks_at_profile(context, who):
    analyst = context.world.person(who)
    analyst.remember("profile", analyst.anomaly.profile(analyst.recall("dataset")["id"]))


@then("the profile counts {rows:d} rows, {repeats:d} of them repeats of an earlier row")
def step_profile_rows(context, rows, repeats):
    profile = context.world.spotlight.recall("profile")
    assert_that(profile, has_entries(row_count=rows, duplicate_rows=repeats), f"The profile is {profile}")


def _profile_column(profile, name):
    found = [column for column in profile.get("columns", []) if column.get("name") == name]
    assert len(found) == 1, f"The profile describes the column {name} {len(found)} times: {profile}"
    return found[0]


@then("the profile counts these values per column:")
def step_profile_columns(context):
    profile = context.world.spotlight.recall("profile")
    for row in context.table:
        expected = {key: int(row[key]) for key in ("count", "missing", "distinct")}
        assert_that(_profile_column(profile, row["column"]), has_entries(type=row["type"], **expected),
                    f"The profile is {profile}")


@then("the profile gives the {name:w} column these statistics:")
def step_profile_statistics(context, name):
    profile = context.world.spotlight.recall("profile")
    column = _profile_column(profile, name)
    for statistic in STATISTICS:
        close_to(column.get(statistic), float(context.table[0][statistic]), what=f"The {statistic} of {name}",
                 evidence=f"The profile is {profile}")


# -- plan limits on detectors --------------------------------------------------------------------
@given("{who:Person} has created {count:d} detectors")
def step_has_created_detectors(context, who, count):
    analyst = context.world.person(who)
    for number in range(count):
        analyst.anomaly.create_detector(f"watch {number + 1}", algorithm="robust_zscore", features=["temperature"])


@when("{who:Person} tries to create a fourth detector")
def step_tries_fourth_detector(context, who):
    anomaly = context.world.person(who).anomaly
    answer = anomaly.attempt(anomaly.create_detector, "watch 4", algorithm="robust_zscore", features=["temperature"])
    context.world.spotlight.remember("answer", answer)


@then("the new detector is refused as over the plan's quota")
def step_detector_over_quota(context):
    analyst = context.world.spotlight
    assert_that(analyst.recall("answer"), is_problem("quota-exceeded"))
    assert_that(analyst.anomaly.list_detectors(page_size=100), has_entries(total=3), analyst.anomaly.evidence())


# -- detectors and training ----------------------------------------------------------------------
@given("{who:Person} has trained a {algorithm} detector on its {features}")
@given("{who:Person} has trained an {algorithm} detector on its {features}")
def step_has_trained_detector(context, who, algorithm, features):
    work.train_new(context.world.person(who), algorithm, work.feature_names(features))


@given("{who:Person} has trained a {algorithm} detector with the default {param:w} on its {features}")
@given("{who:Person} has trained an {algorithm} detector with the default {param:w} on its {features}")
def step_has_trained_default(context, who, algorithm, param, features):
    work.train_new(context.world.person(who), algorithm, work.feature_names(features))


@given("{who:Person} has trained a {algorithm} detector with {param:w} {value:g} on its {features}")
@given("{who:Person} has trained an {algorithm} detector with {param:w} {value:g} on its {features}")
def step_has_trained_with(context, who, algorithm, param, value, features):
    assert param in ("threshold", "contamination"), f"'{param}' is not a detector setting"
    work.train_new(context.world.person(who), algorithm, work.feature_names(features), **{param: value})


@given("{who:Person} has created a {algorithm} detector on {features}")
def step_has_created_detector(context, who, algorithm, features):
    work.create_detector(context.world.person(who), algorithm, work.feature_names(features))


@given("{who:Person} has trained a robust z-score detector on the boiler readings")
def step_has_trained_on_boiler(context, who):
    work.train_on_boiler_readings(context.world.person(who))


@when("{who:Person} tries to train the detector on the dataset")
def step_tries_to_train(context, who):
    analyst = context.world.person(who)
    anomaly = analyst.anomaly
    answer = anomaly.attempt(anomaly.start_training, analyst.recall("detector")["id"], analyst.recall("dataset")["id"])
    analyst.remember("answer", answer)


@then("the training is refused because of an unknown feature")
def step_training_refused_unknown(context):
    assert_that(context.world.spotlight.recall("answer"), refused_for("unknown_feature"))


@given("the detector is untrained at version {version:d}")
def step_detector_untrained(context, version):
    analyst = context.world.spotlight
    detector = analyst.anomaly.get_detector(analyst.recall("detector")["id"])
    assert_that(detector, has_entries(status="untrained", version=version), analyst.anomaly.evidence())


@when("{who:Person} starts training the detector on the dataset")
def step_starts_training(context, who):
    analyst = context.world.person(who)
    started = analyst.anomaly.start_training(analyst.recall("detector")["id"], analyst.recall("dataset")["id"])
    assert_that(started, has_entries(job_id=is_not(None), status=is_in(("queued", "running", "succeeded"))),
                analyst.anomaly.evidence())
    analyst.remember("started", started)


@then("the training job can be followed until it has succeeded")
def step_job_succeeds(context):
    analyst = context.world.spotlight
    job = analyst.anomaly.wait_for_job(str(analyst.recall("started")["job_id"]))
    assert_that(job, has_entries(id=analyst.recall("started")["job_id"], kind="training", status="succeeded",
                                 detector_id=analyst.recall("detector")["id"]), analyst.anomaly.evidence())


@when("{who:Person} trains the detector again on the same dataset")
def step_trains_again(context, who):
    work.train(context.world.person(who))


@then("the detector is trained at version {version:d}, on {rows:d} readings")
def step_detector_trained(context, version, rows):
    analyst = context.world.spotlight
    detector = analyst.anomaly.get_detector(analyst.recall("detector")["id"])
    assert_that(detector, has_entries(status="trained", version=version, training_rows=rows,
                                      trained_at=is_not(None)), analyst.anomaly.evidence())


@then("its checks are answered by version {version:d}")
def step_checks_by_version(context, version):
    analyst = context.world.spotlight
    detection = analyst.anomaly.detect_rows(analyst.recall("detector")["id"], [{"temperature": 22, "pressure": 104}])
    assert_that(detection, has_entries(detector_version=version), analyst.anomaly.evidence())


# -- checking readings ---------------------------------------------------------------------------
@when("{who:Person} checks every reading of the dataset with it")
def step_checks_every_reading(context, who):
    analyst = context.world.person(who)
    detector, dataset = analyst.recall("detector"), analyst.recall("dataset")
    analyst.remember("detection", analyst.anomaly.detect_dataset(detector["id"], dataset["id"]))


@when("{who:Person} checks every reading of the dataset with the detector twice")
def step_checks_twice(context, who):
    analyst = context.world.person(who)
    detector_id, dataset_id = analyst.recall("detector")["id"], analyst.recall("dataset")["id"]
    analyst.remember("detections", [analyst.anomaly.detect_dataset(detector_id, dataset_id) for _ in range(2)])


@when("{who:Person} checks a reading of {values} with the detector")
def step_checks_reading(context, who, values):
    analyst = context.world.person(who)
    analyst.remember("detection", analyst.anomaly.detect_rows(analyst.recall("detector")["id"], [reading(values)]))


@when("{who:Person} tries to check a reading of {values} with the detector")
def step_tries_to_check_reading(context, who, values):
    analyst = context.world.person(who)
    anomaly = analyst.anomaly
    analyst.remember("answer", anomaly.attempt(anomaly.detect_rows, analyst.recall("detector")["id"],
                                               [reading(values)]))


@when("{who:Person} tries to check these readings with the detector:")
def step_tries_to_check_readings(context, who):
    analyst = context.world.person(who)
    anomaly, rows = analyst.anomaly, analyst.remember("rows", readings_of(context.table))
    analyst.remember("answer", anomaly.attempt(anomaly.detect_rows, analyst.recall("detector")["id"], rows))


@when("{who:Person} checks {count} readings at once with the detector")
def step_checks_many(context, who, count):
    analyst = context.world.person(who)
    rows = generated_readings(count_of(count))
    analyst.remember("detection", analyst.anomaly.detect_rows(analyst.recall("detector")["id"], rows))


@when("{who:Person} tries to check {count} readings at once with the detector")
def step_tries_to_check_many(context, who, count):
    analyst = context.world.person(who)
    anomaly, rows = analyst.anomaly, generated_readings(count_of(count))
    analyst.remember("answer", anomaly.attempt(anomaly.detect_rows, analyst.recall("detector")["id"], rows))


@then("the reading scores {score:g} and is {expected:w}")
def step_reading_scores(context, score, expected):
    analyst = context.world.spotlight
    detection, evidence = analyst.recall("detection"), analyst.anomaly.evidence()
    (result,) = results_of(detection, rows=1, evidence=evidence)
    close_to(result.get("score"), score, what="The reading's score", evidence=evidence)
    assert verdict(result, evidence=evidence) == expected, f"The reading is not {expected}. {evidence}"
    anomaly_count_agrees(detection, evidence=evidence)


@then("the reading is {expected:w}")
def step_reading_is(context, expected):
    analyst = context.world.spotlight
    evidence = analyst.anomaly.evidence()
    (result,) = results_of(analyst.recall("detection"), rows=1, evidence=evidence)
    assert verdict(result, evidence=evidence) == expected, f"The reading is not {expected}. {evidence}"


@then("exactly the {count:d} readings labelled as faults are flagged")
def step_exactly_faults_flagged(context, count):
    analyst, dataset = context.world.spotlight, context.world.it("local dataset")
    faults = dataset.indices_where("label", "1")
    assert len(faults) == count, f"{dataset.path.name} labels {len(faults)} readings as faults, not {count}"
    assert_that(analyst.recall("detection"), flags_exactly(faults, rows=len(dataset.rows)),
                analyst.anomaly.evidence())


@then("{count:d} of the readings are flagged, give or take one")
def step_about_flagged(context, count):
    analyst, dataset = context.world.spotlight, context.world.it("local dataset")
    detection, evidence = analyst.recall("detection"), analyst.anomaly.evidence()
    flagged = flagged_positions(results_of(detection, rows=len(dataset.rows), evidence=evidence))
    assert abs(len(flagged) - count) <= 1, f"{len(flagged)} readings are flagged, not {count} +- 1. {evidence}"
    anomaly_count_agrees(detection, evidence=evidence)


@then("the {count:d} readings labelled as extremes are among them")
def step_extremes_among_flagged(context, count):
    analyst, dataset = context.world.spotlight, context.world.it("local dataset")
    evidence = analyst.anomaly.evidence()
    extremes = dataset.indices_where("label", "1")
    assert len(extremes) == count, f"{dataset.path.name} labels {len(extremes)} readings as extremes, not {count}"
    flagged = flagged_positions(results_of(analyst.recall("detection"), rows=len(dataset.rows), evidence=evidence))
    assert extremes <= flagged, f"The extremes {sorted(extremes - flagged)} are not flagged. {evidence}"


@then("{who:Person} is told that the detector has not been trained yet")
def step_told_not_trained(context, who):
    assert_that(context.world.person(who).recall("answer"), is_problem("detector-not-trained"))


@then("the check is refused naming the {ordinal:w} reading")
def step_check_refused_naming(context, ordinal):
    analyst = context.world.spotlight
    answer, position = analyst.recall("answer"), _ordinal(ordinal) - 1
    assert_that(answer, is_problem("validation-failed"))
    complete = [row for row in analyst.recall("rows") if len(row) == len(analyst.recall("detector")["features"])]
    base = index_base(analyst.anomaly.detect_rows(analyst.recall("detector")["id"], complete),
                      evidence=analyst.anomaly.evidence())
    names_a_row(answer, {base + position}, what=f"the {ordinal} reading (index {base + position})")


@then("both checks give identical results, score for score")
def step_identical_results(context):
    first, second = context.world.spotlight.recall("detections")
    same_results(first, second, evidence="Both checks were of the same readings with the same version")


@then("every one of the {count} readings gets a result")
def step_every_reading_result(context, count):
    analyst = context.world.spotlight
    results_of(analyst.recall("detection"), rows=count_of(count), evidence=analyst.anomaly.evidence())


@then("the check is refused as too large")
def step_check_too_large(context):
    assert_that(context.world.spotlight.recall("answer"), refused_as_too_large())


# -- streaming -----------------------------------------------------------------------------------
@when("{who:Person} streams these lines to the detector:")
def step_streams_lines(context, who):
    analyst = context.world.person(who)
    lines = [stream_line(row["line"]) for row in context.table]
    analyst.remember("streamed", analyst.anomaly.stream(analyst.recall("detector")["id"], lines))


@then("{who:Person} gets one result per line, in order:")
def step_one_result_per_line(context, who):
    analyst = context.world.person(who)
    results, expected = analyst.recall("streamed"), [row["result"] for row in context.table]
    evidence = f"The stream answered {results}"
    assert len(results) == len(expected), f"{len(results)} result lines for {len(expected)} lines. {evidence}"
    base = results[0].get("index")
    assert base in (0, 1), f"The first line's index is {base!r}, not 0 or 1. {evidence}"
    for position, (result, wanted) in enumerate(zip(results, expected, strict=True)):
        assert result.get("index") == base + position, f"Result {position + 1} is out of order. {evidence}"
        if wanted == "an error":
            assert result.get("error"), f"Line {position + 1} got no error. {evidence}"
        else:
            assert verdict(result, evidence=evidence) == wanted, f"Line {position + 1} is not {wanted}. {evidence}"


# -- feedback ------------------------------------------------------------------------------------
@given("the detector flags a reading of {flagged} but not one of {passed}")
def step_detector_flags_one(context, flagged, passed):
    analyst = context.world.spotlight
    evidence = analyst.anomaly.evidence
    detection = analyst.anomaly.detect_rows(analyst.recall("detector")["id"], [reading(flagged), reading(passed)])
    results = results_of(detection, rows=2, evidence=evidence())
    assert [verdict(result, evidence=evidence()) for result in results] == ["anomalous", "normal"], evidence()


@when("{who:Person} gives the detector this feedback:")
def step_gives_feedback(context, who):
    analyst = context.world.person(who)
    labelled = []
    for row in readings_of(context.table):
        label = row.pop("label")
        analyst.anomaly.feedback(analyst.recall("detector")["id"], row, label)
        labelled.append((row, label))
    analyst.remember("labelled", labelled)


@when("{who:Person} retrains the detector on the same dataset using {pronoun:w} feedback")
def step_retrains_with_feedback(context, who, pronoun):
    analyst = context.world.person(who)
    analyst.remember("version before", analyst.recall("detector")["version"])
    work.train(analyst, use_feedback=True)


@then("the detector's new version judges each of those readings as {pronoun:w} labelled it")
def step_judged_as_labelled(context, pronoun):
    analyst = context.world.spotlight
    rows, labels = zip(*analyst.recall("labelled"), strict=True)
    detection = analyst.anomaly.detect_rows(analyst.recall("detector")["id"], list(rows))
    evidence = analyst.anomaly.evidence()
    assert_that(detection, has_entries(detector_version=analyst.recall("version before") + 1), evidence)
    verdicts = [verdict(result, evidence=evidence) for result in results_of(detection, rows=len(rows),
                                                                             evidence=evidence)]
    wanted = ["anomalous" if label == "anomaly" else "normal" for label in labels]
    assert verdicts == wanted, f"The readings are judged {verdicts}, labelled {wanted}. {evidence}"


# -- evaluation ----------------------------------------------------------------------------------
@when("{who:Person} evaluates the detector on the dataset against its {column:w} column")
def step_evaluates(context, who, column):
    analyst = context.world.person(who)
    analyst.remember("evaluation", analyst.anomaly.evaluate(analyst.recall("detector")["id"],
                                                            analyst.recall("dataset")["id"], label_column=column))


@then("the evaluation counts {tp:d} true positive, {fp:d} false positive, {tn:d} true negatives "
      "and {fn:d} false negatives")
def step_evaluation_counts(context, tp, fp, tn, fn):
    evaluation = context.world.spotlight.recall("evaluation")
    assert_that(evaluation, has_entries(true_positives=tp, false_positives=fp, true_negatives=tn,
                                        false_negatives=fn), f"The evaluation is {evaluation}")


@then("it gives precision {precision:g}, recall {recall:g} and F1 {f1:g}")
def step_evaluation_ratios(context, precision, recall, f1):
    evaluation = context.world.spotlight.recall("evaluation")
    for name, expected in (("precision", precision), ("recall", recall), ("f1", f1)):
        close_to(evaluation.get(name), expected, what=f"The {name}", evidence=f"The evaluation is {evaluation}")


# -- who may do what -----------------------------------------------------------------------------
@when("{who:Person} trains a robust z-score detector on the boiler readings and checks them with it")
def step_trains_and_checks_boiler(context, who):
    analyst = context.world.person(who)
    local, _ = work.upload_file(analyst, work.BOILER)
    context.world.mention("local dataset", local)
    work.train_new(analyst, "robust z-score", ["temperature", "pressure"])
    step_checks_every_reading(context, who)


@then("the detector flags the {temperature:g} °C reading and no other")
def step_flags_only(context, temperature):
    analyst, local = context.world.spotlight, context.world.it("local dataset")
    hot = {index for index, row in enumerate(local.rows) if float(row["temperature"]) == temperature}
    assert_that(analyst.recall("detection"), flags_exactly(hot, rows=len(local.rows)), analyst.anomaly.evidence())


@when("{who:Person} tries these on {owner:w}'s datasets and detectors:")
def step_tries_these(context, who, owner):
    owners_work = _owner_of_work(context.world, owner).recall("work")
    person = context.world.person(who)
    answers = {row["attempt"]: attempt(person.anomaly, row["attempt"], owners_work) for row in context.table}
    person.remember("answers", answers)


@then("each of these attempts is refused as not allowed")
def step_attempts_refused(context):
    refused_as_forbidden(context.world.spotlight.recall("answers"))


@then("each of these attempts shows {pronoun:w} {owner:w}'s work")
def step_attempts_show(context, pronoun, owner):
    owners = _owner_of_work(context.world, owner)
    found, answers = owners.recall("work"), context.world.spotlight.recall("answers")
    shows = {
        "list the datasets": lambda body: has_item(has_entries(id=found.dataset_id)).matches(body.get("items")),
        "read the dataset": lambda body: body.get("id") == found.dataset_id,
        "read its profile": lambda body: body.get("row_count") == owners.recall("dataset")["row_count"],
        "list the detectors": lambda body: has_item(has_entries(id=found.detector_id)).matches(body.get("items")),
        "read the detector": lambda body: body.get("id") == found.detector_id,
        "read the training job": lambda body: body.get("id") == found.job_id,
    }
    for action, answer in answers.items():
        assert answer.status_code == 200 and shows[action](answer.json()), (
            f"'{action}' does not show {owner}'s work: {answer.status_code} {answer.text[:300]}")


@then("{owner:w}'s dataset and detector are as they were")
def step_work_unchanged(context, owner):
    owners = _owner_of_work(context.world, owner)
    found, anomaly = owners.recall("work"), owners.anomaly
    assert_that(anomaly.get_dataset(found.dataset_id), has_entries(row_count=owners.recall("dataset")["row_count"]),
                anomaly.evidence())
    assert_that(anomaly.get_detector(found.detector_id), has_entries(version=owners.recall("detector")["version"]),
                anomaly.evidence())


@when("{who:Person} tries every way to reach {owner:w}'s {thing}")
def step_tries_every_way(context, who, owner, thing):
    owners_work = _owner_of_work(context.world, owner).recall("work")
    intruder = context.world.person(who)
    intruder.remember("intrusions", intrude(intruder.anomaly, thing, owners_work, intruder.recall("work")))


@then("each of his attempts is answered as if {owner:w}'s {thing} had never existed")
def step_intrusions_never_existed(context, owner, thing):
    for action, how, answer, ghost in context.world.spotlight.recall("intrusions"):
        if how == "body":
            unknown_like_ghost(action, answer, ghost)
        else:
            not_found_like_ghost(action, answer, ghost)
