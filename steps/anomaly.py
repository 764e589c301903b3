"""Anomaly detection: datasets, profiles, detectors, training, checks, streams, feedback, evaluation, access."""

from behave import given, then, when
from hamcrest import all_of, assert_that, has_item, has_length, has_properties, is_not, only_contains

from support.data import tables
from support.matchers import detection as outcome
from support.matchers.answers import is_problem, never_existed_like
from support.tasks import anomaly as work


# -- datasets ----------------------------------------------------------------------------------------
@given('{who:Person} has uploaded the "{name}" dataset of {rows:d} readings')
def step_has_uploaded_dataset(context, who, name, rows):
    context.world.mention(work.LOCAL, work.upload_file(context.world.person(who), name, rows=rows))

@given('{who:Person} has uploaded the CSV dataset "{name}":')
@when('{who:Person} uploads the CSV dataset "{name}":')
def step_uploads_csv_table(context, who, name):
    work.upload_table(context.world.person(who), name, context.table)

@given("{who:Person} has uploaded a CSV dataset whose {column:w} column holds {values:AnomalyValues}")
@when("{who:Person} uploads a CSV dataset whose {column:w} column holds {values:AnomalyValues}")
def step_uploads_one_column(context, who, column, values):
    work.upload_column(context.world.person(who), column, values)

@when("{who:Person} uploads these meter readings once as a CSV file and once as structured rows:")
def step_uploads_twice(context, who):
    work.upload_both_ways(context.world.person(who), context.table)

@when("{who:Person} tries to upload {upload:AnomalyUpload}")
def step_tries_to_upload(context, who, upload):
    work.try_upload(context.world.person(who), upload)

@when("{who:Person} tries to upload this file as a dataset:")
def step_tries_to_upload_text(context, who):
    uneven = tables.Upload("uneven readings", csv=tables.docstring_bytes(context.text))
    work.try_upload(context.world.person(who), uneven)

@when("{who:Person} deletes that dataset")
def step_deletes_dataset(context, who):
    work.delete_dataset(context.world.person(who))

@then("the dataset holds {rows:AnomalyCount} rows")
def step_dataset_holds(context, rows):
    analyst = context.world.spotlight
    dataset = outcome.is_dataset(rows=rows, name=analyst.recall(work.SENT_NAME), tenant_id=analyst.tenant.id)
    work.expect(analyst, work.dataset_as_uploaded_and_now(analyst), only_contains(dataset))

@then("its {column:w} column is {kind:w}")
def step_column_is(context, column, kind):
    work.expect(context.world.spotlight, work.dataset_now(context.world.spotlight), outcome.has_column(column, kind))

@then("both datasets hold {rows:d} rows with the same columns of the same types")
def step_both_datasets_same(context, rows):
    analyst = context.world.spotlight
    from_file, from_rows = work.both_datasets_now(analyst)
    work.expect(analyst, from_file, outcome.is_dataset(rows=rows, name=work.FROM_FILE))
    work.expect(analyst, from_rows, outcome.is_dataset(rows=rows, name=work.FROM_ROWS, columns=from_file.columns))

@then("both datasets have the same profile")
def step_both_profiles_same(context):
    from_file, from_rows = work.both_profiles(context.world.spotlight)
    work.expect(context.world.spotlight, from_rows, outcome.same_profile_as(from_file))

@then("the {attempt:AnomalyAttempt} is {expected:AnomalyOutcome}")
def step_attempt_outcome(context, attempt, expected):
    assert_that(context.world.spotlight.last_answer, expected())

@then("the upload is refused naming the {ordinal:AnomalyOrdinal} data row")
def step_refused_naming_row(context, ordinal):
    assert_that(context.world.spotlight.last_answer, outcome.names_data_row(ordinal))

@then("the dataset can no longer be read")
def step_dataset_gone(context):
    gone, ghost = work.read_deleted_and_never_existed(context.world.spotlight)
    assert_that(gone, all_of(is_problem("not-found"), never_existed_like(ghost)))

@then("it is not among {tenant:w}'s datasets any more")
def step_not_listed(context, tenant):
    analyst = context.world.spotlight
    assert_that(work.listed_dataset_ids(analyst), is_not(has_item(analyst.recall(work.DATASET).id)))

# -- profile -----------------------------------------------------------------------------------------
@when("{who:Person} looks at the dataset's profile")
def step_looks_at_profile(context, who):
    work.look_at_profile(context.world.person(who))

@then("the profile counts {rows:d} rows, {repeats:d} of them repeats of an earlier row")
def step_profile_rows(context, rows, repeats):
    work.expect(context.world.spotlight, work.PROFILE, has_properties(row_count=rows, duplicate_rows=repeats))

@then("the profile counts these values per column:")
def step_profile_columns(context):
    work.expect(context.world.spotlight, work.PROFILE, outcome.profiles_columns(tables.rows_of(context.table)))

@then("the profile gives the {name:w} column these statistics:")
def step_profile_statistics(context, name):
    statistics = tables.rows_of(context.table)[0]
    work.expect(context.world.spotlight, work.PROFILE, outcome.gives_statistics(name, statistics))

# -- detectors and training --------------------------------------------------------------------------
@given("{who:Person} has trained {detector:AnomalyDetector} on its {features:AnomalyFeatures}")
def step_has_trained_detector(context, who, detector, features):
    work.train_new(context.world.person(who), detector, features)

@given("{who:Person} {trying:AnomalyCreating} {detector:AnomalyDetector} on {features:AnomalyFeatures}")
@when("{who:Person} {trying:AnomalyCreating} {detector:AnomalyDetector} on {features:AnomalyFeatures}")
def step_creates_detector(context, who, trying, detector, features):
    work.creation(context.world.person(who), detector, features, trying=trying)

@when("{who:Person} tries to train the detector on the dataset")
def step_tries_to_train(context, who):
    work.try_training(context.world.person(who))

@given("{who:Person} has uploaded {count:AnomalyCount} readings of {sensors:d} sensors")
def step_has_uploaded_sensor_readings(context, who, count, sensors):
    work.upload_sensor_readings(context.world.person(who), count, sensors)

@when("{who:Person} trains {detector:AnomalyDetector} on all {sensors:d} sensors")
def step_trains_timed(context, who, detector, sensors):
    work.train_timed(context.world.person(who), detector, tables.sensor_names(sensors))

@then("it has learnt them in under {seconds:d} seconds")
def step_learnt_in_time(context, seconds):
    took = outcome.took_under(seconds, allowance=work.ROUND_TRIP_ALLOWANCE_S)
    assert_that(context.world.spotlight.recall(work.TRAINING_TIME), took)

@given("the detector is untrained at version {version:d}")
def step_detector_untrained(context, version):
    analyst = context.world.spotlight
    work.expect(analyst, work.detector_now(analyst), outcome.is_detector(status="untrained", version=version))

@when("{who:Person} starts training the detector on the dataset")
def step_starts_training(context, who):
    work.start_training(context.world.person(who))

@then("the training job can be followed until it has succeeded")
def step_job_succeeds(context):
    work.follow_job(context.world.spotlight)

@when("{who:Person} trains the detector again on the same dataset")
def step_trains_again(context, who):
    work.train(context.world.person(who))

@then("the detector is trained at version {version:d}, on {rows:d} readings")
def step_detector_trained(context, version, rows):
    trained = outcome.is_detector(status="trained", version=version, training_rows=rows, trained=True)
    work.expect(context.world.spotlight, work.detector_now(context.world.spotlight), trained)

@then("its checks are answered by version {version:d}")
def step_checks_by_version(context, version):
    analyst = context.world.spotlight
    work.expect(analyst, work.check_a_typical_reading(analyst), has_properties(detector_version=version))

# -- checking readings -------------------------------------------------------------------------------
@when("{who:Person} checks every reading of the dataset with it")
def step_checks_every_reading(context, who):
    work.check_dataset(context.world.person(who))

@when("{who:Person} checks every reading of the dataset with the detector twice")
def step_checks_twice(context, who):
    work.check_dataset_twice(context.world.person(who))

@when("{who:Person} {trying:AnomalyChecking} a reading of {reading:AnomalyReading} with the detector")
def step_checks_reading(context, who, trying, reading):
    work.check(context.world.person(who), [reading], trying=trying)

@when("{who:Person} tries to check these readings with the detector:")
def step_tries_to_check_readings(context, who):
    work.try_check(context.world.person(who), tables.readings_of(context.table))

@when("{who:Person} {trying:AnomalyChecking} {count:AnomalyCount} readings at once with the detector")
def step_checks_many(context, who, trying, count):
    work.check(context.world.person(who), tables.generated_readings(count), trying=trying)

@then("the reading scores {score:g} and is {verdict:AnomalyVerdict} against the threshold {threshold:g}")
def step_reading_scores(context, score, verdict, threshold):
    work.expect(context.world.spotlight, work.DETECTION, outcome.scores(score, verdict, threshold=threshold))

@then("the reading is {verdict:AnomalyVerdict}")
def step_reading_is(context, verdict):
    work.expect(context.world.spotlight, work.DETECTION, outcome.judges([verdict]))

@then("exactly the {count:d} readings labelled as faults are flagged")
def step_exactly_faults_flagged(context, count):
    local = context.world.it(work.LOCAL)
    faults = outcome.flags_exactly(work.labelled(local, count), rows=len(local.rows))
    work.expect(context.world.spotlight, work.DETECTION, faults)

@then("{count:d} of the readings are flagged, give or take one")
def step_about_flagged(context, count):
    rows = len(context.world.it(work.LOCAL).rows)
    work.expect(context.world.spotlight, work.DETECTION, outcome.flags_about(count, rows=rows))

@then("the {count:d} readings labelled as extremes are among them")
def step_extremes_among_flagged(context, count):
    local = context.world.it(work.LOCAL)
    extremes = outcome.flags_including(work.labelled(local, count), rows=len(local.rows))
    work.expect(context.world.spotlight, work.DETECTION, extremes)

@then("{who:Person} is told that the detector has not been trained yet")
def step_told_not_trained(context, who):
    assert_that(context.world.person(who).last_answer, is_problem("detector-not-trained"))

@then("the check is refused naming the {ordinal:AnomalyOrdinal} reading")
def step_check_refused_naming(context, ordinal):
    analyst = context.world.spotlight
    refusal = analyst.last_answer
    assert_that(refusal, outcome.names_reading(work.index_base(analyst) + ordinal - 1))

@then("both checks give identical results, score for score")
def step_identical_results(context):
    first, second = context.world.spotlight.recall(work.DETECTIONS)
    work.expect(context.world.spotlight, second, outcome.same_results_as(first))

@then("every one of the {count:AnomalyCount} readings gets a result")
def step_every_reading_result(context, count):
    work.expect(context.world.spotlight, work.DETECTION, has_properties(results=has_length(count)))


# -- streaming ---------------------------------------------------------------------------------------
@when("{who:Person} streams these lines to the detector:")
def step_streams_lines(context, who):
    work.stream(context.world.person(who), [tables.stream_line(row["line"]) for row in context.table])

@then("{who:Person} gets one result per line, in order:")
def step_one_result_per_line(context, who):
    expected = [row["result"] for row in context.table]
    assert_that(context.world.person(who).recall(work.STREAMED), outcome.streams_in_order(expected))

# -- feedback ----------------------------------------------------------------------------------------
@given("the detector flags a reading of {flagged:AnomalyReading} but not one of {passed:AnomalyReading}")
def step_detector_flags_one(context, flagged, passed):
    detection = work.check_readings(context.world.spotlight, [flagged, passed])
    work.expect(context.world.spotlight, detection, outcome.judges(["anomalous", "normal"]))

@when("{who:Person} gives the detector this feedback:")
def step_gives_feedback(context, who):
    work.give_feedback(context.world.person(who), tables.readings_of(context.table))

@when("{who:Person} retrains the detector on the same dataset using {pronoun:w} feedback")
def step_retrains_with_feedback(context, who, pronoun):
    work.retrain_with_feedback(context.world.person(who))

@then("the detector's new version judges each of those readings as {pronoun:w} labelled it")
def step_judged_as_labelled(context, pronoun):
    analyst = context.world.spotlight
    version = analyst.recall(work.VERSION_BEFORE) + 1
    work.expect(analyst, work.check_labelled(analyst), all_of(has_properties(detector_version=version),
                                                     outcome.judges(work.verdicts_labelled(analyst))))

# -- evaluation --------------------------------------------------------------------------------------
@when("{who:Person} {trying:AnomalyEvaluating} the detector on the dataset against its {column:w} column")
def step_evaluates(context, who, trying, column):
    work.evaluation(context.world.person(who), column, trying=trying)

@then("the evaluation counts {tp:d} true positive, {fp:d} false positive, {tn:d} true negatives "
      "and {fn:d} false negatives")
def step_evaluation_counts(context, tp, fp, tn, fn):
    work.expect(context.world.spotlight, work.EVALUATION, outcome.counts_outcomes(tp, fp, tn, fn))

@then("it gives precision {precision:g}, recall {recall:g} and F1 {f1:g}")
def step_evaluation_ratios(context, precision, recall, f1):
    work.expect(context.world.spotlight, work.EVALUATION, outcome.gives_ratios(precision, recall, f1))
