"""Anomaly detection: datasets, detectors and the readings they flag."""

from behave import given, then, when
from hamcrest import assert_that, has_entries

from support.builders import load_dataset
from support.cast import register_person_type
from support.matchers import flags_exactly

register_person_type()
ALGORITHMS = {"robust z-score": "robust_zscore", "isolation forest": "isolation_forest", "IQR": "iqr"}


def _names(text):
    """ "temperature, pressure and vibration" -> ["temperature", "pressure", "vibration"] """
    return [part.strip() for part in text.replace(" and ", ", ").split(",") if part.strip()]


@given('{who:Person} has uploaded the "{name}" dataset of {rows:d} readings')
def step_has_uploaded_dataset(context, who, name, rows):
    analyst, dataset = context.world.person(who), context.world.mention("local dataset", load_dataset(name))
    uploaded = analyst.remember("dataset", analyst.anomaly.upload_csv(name, dataset.path))
    assert_that(uploaded, has_entries(row_count=rows), analyst.anomaly.evidence())


@given("{who:Person} has trained a {algorithm} detector on its {features}")
def step_has_trained_detector(context, who, algorithm, features):
    analyst = context.world.person(who)
    detector = analyst.anomaly.create_detector(f"{algorithm} watch", algorithm=ALGORITHMS[algorithm],
                                               features=_names(features))
    analyst.remember("detector", analyst.anomaly.train(detector["id"], analyst.recall("dataset")["id"]))


@when("{who:Person} checks every reading of the dataset with it")
def step_checks_every_reading(context, who):
    analyst = context.world.person(who)
    detector, dataset = analyst.recall("detector"), analyst.recall("dataset")
    analyst.remember("detection", analyst.anomaly.detect_dataset(detector["id"], dataset["id"]))


@then("exactly the {count:d} readings labelled as faults are flagged")
def step_exactly_faults_flagged(context, count):
    analyst, dataset = context.world.spotlight, context.world.it("local dataset")
    faults = dataset.indices_where("label", "1")
    assert len(faults) == count, f"{dataset.path.name} labels {len(faults)} readings as faults, not {count}"
    assert_that(analyst.recall("detection"), flags_exactly(faults, rows=len(dataset.rows)),
                analyst.anomaly.evidence())
