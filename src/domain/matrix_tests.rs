use super::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const NOVA: &str =
    "arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-lite-v1:0:300k/novanova0001";
const HAIKU: &str = "arn:aws:bedrock:us-west-2:111122223333:custom-model/anthropic.claude-3-haiku-20240307-v1:0:200k/haikuhaiku01";
const COHERE: &str = "arn:aws:bedrock:us-east-1:444455556666:custom-model/cohere.command-light-text-v14:7:4k/coherecohere";
const IMPORTED: &str = "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/importedimp1";

fn regions() -> Vec<String> {
    ["us-east-1", "us-west-2", "eu-central-1"]
        .iter()
        .map(|r| r.to_string())
        .collect()
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_748_779_200 + secs, 0).expect("valid")
}

fn job(id: &str, region: &str, source: &str, status: Status, secs: i64) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"),
        status: status.clone(),
        created: at(secs),
        target_model_arn: format!("arn:aws:bedrock:{region}:111122223333:custom-model/x.y/{id}"),
        target_model_name: Some(format!("copy-{id}")),
        source_account_id: arn_region(source).len().to_string().into(),
        source_model_arn: source.into(),
        source_model_name: None,
        kms_key_arn: None,
        tags: Vec::new(),
        failure_message: (status == Status::Failed)
            .then(|| format!("The source model {source} was not found. Retry.")),
    }
}

fn named(mut j: CopyJob, name: &str) -> CopyJob {
    j.source_model_name = Some(name.into());
    j
}

fn jobs() -> Vec<CopyJob> {
    vec![
        named(
            job("a00000000001", "us-west-2", NOVA, Status::Completed, 10),
            "nova-ft",
        ),
        job("a00000000002", "us-west-2", NOVA, Status::Failed, 20),
        job("a00000000003", "us-west-2", NOVA, Status::InProgress, 30),
        job("a00000000004", "eu-central-1", NOVA, Status::Completed, 5),
        job("a00000000005", "us-east-1", HAIKU, Status::Failed, 40),
        job("a00000000006", "us-east-1", COHERE, Status::Completed, 50),
        job(
            "a00000000007",
            "ap-south-1",
            IMPORTED,
            Status::Completed,
            60,
        ),
    ]
}

fn rows(m: &Matrix) -> Vec<Model> {
    m.rows().cloned().collect()
}

#[test]
fn each_cell_is_the_newest_copy_with_a_count_of_all() {
    let m = Matrix::build(&regions(), &jobs(), CopyRegions::shipped());
    // A region no source named gets a column of its own, last.
    assert_eq!(
        m.regions(),
        ["us-east-1", "us-west-2", "eu-central-1", "ap-south-1"]
    );
    assert_eq!(m.jobs(), 7);
    let names: Vec<String> = m.rows().map(Model::display_name).collect();
    // By name; a model with none goes by its ARN's resource.
    assert_eq!(
        names,
        [
            "anthropic.claude-3-haiku-20240307-v1:0:200k/haikuhaiku01",
            "cohere.command-light-text-v14:7:4k/coherecohere",
            "imported/importedimp1",
            "nova-ft",
        ]
    );
    let nova = m.rows().find(|r| r.display_name() == "nova-ft").unwrap();
    assert_eq!(nova.base_model(), Some("amazon.nova-lite-v1"));
    assert_eq!(nova.source_region(), "us-east-1");
    let west = nova.cell(1).unwrap();
    assert_eq!(west.status(), Status::InProgress);
    assert_eq!(
        west.job_arn(),
        "arn:aws:bedrock:us-west-2:111122223333:model-copy-job/a00000000003"
    );
    assert_eq!(
        west.target_model_arn(),
        "arn:aws:bedrock:us-west-2:111122223333:custom-model/x.y/a00000000003"
    );
    assert_eq!(west.copies, 3);
    assert_eq!(west.created, at(30));
    assert_eq!(nova.cell(2).map(|c| c.copies), Some(1));
    // The model's own region, without a copy: its origin.
    let home = m.slot(nova, 0);
    assert!(home.origin && home.copy.is_none());
    assert_eq!(home.symbol(), ORIGIN);
    assert_eq!(m.slot(nova, 1).symbol(), "◐");
    assert_eq!(m.slot(nova, 3).symbol(), NO_COPY);
    // Claude 3 Haiku cannot be copied to eu-central-1: ⊘.
    let haiku = m
        .rows()
        .find(|r| r.source_model_arn.as_ref() == HAIKU)
        .unwrap();
    assert_eq!(m.slot(haiku, 2).support, Support::Unsupported);
    assert_eq!(m.slot(haiku, 2).symbol(), UNSUPPORTED);
    assert_eq!(m.slot(haiku, 1).symbol(), ORIGIN);
    assert_eq!(m.slot(haiku, 0).symbol(), "✘");
    // A model the table does not know is never ⊘, and is named for a note.
    let cohere = m
        .rows()
        .find(|r| r.source_model_arn.as_ref() == COHERE)
        .unwrap();
    assert_eq!(m.slot(cohere, 2).support, Support::Unknown);
    assert_eq!(m.slot(cohere, 2).symbol(), NO_COPY);
    assert_eq!(m.unjudged(), (vec!["cohere.command-light-text-v14"], true));
    assert_eq!(m.row(0).map(Model::display_name), Some(names[0].clone()));
    assert_eq!(nova.copies().count(), 2);
}

#[test]
fn the_same_jobs_in_any_order_make_the_same_matrix() {
    let jobs = jobs();
    let want = rows(&Matrix::build(&regions(), &jobs, CopyRegions::shipped()));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    for _ in 0..50 {
        let mut shuffled = jobs.clone();
        shuffled.shuffle(&mut rng);
        // Twice over, as two profiles on one account list it.
        let doubled: Vec<&CopyJob> = shuffled.iter().chain(&jobs).collect();
        let got = Matrix::build(&regions(), doubled, CopyRegions::shipped());
        assert_eq!(rows(&got), want);
        assert_eq!(got.jobs(), jobs.len());
    }
}

#[test]
fn ties_in_time_go_to_the_greater_arn_whatever_the_order() {
    let a = job("a00000000001", "us-west-2", NOVA, Status::Completed, 10);
    let b = job("b00000000001", "us-west-2", NOVA, Status::Failed, 10);
    for pair in [[&a, &b], [&b, &a]] {
        let m = Matrix::build(&regions(), pair, CopyRegions::shipped());
        let cell = m.row(0).and_then(|r| r.cell(1)).unwrap();
        assert_eq!((cell.status(), cell.copies), (Status::Failed, 2));
    }
}

/// The dashboard's pane keeps its matrix from the engine's events: applying
/// each change and arrival to the matrix of the first read must give the
/// matrix a fresh read of the final jobs gives.
#[test]
fn applying_changes_and_arrivals_equals_building_afresh() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let sources = [NOVA, HAIKU, COHERE, IMPORTED];
    let all_regions = ["us-east-1", "us-west-2", "eu-central-1", "ap-south-1"];
    for round in 0..40 {
        let mut jobs: Vec<CopyJob> = (0..60)
            .map(|i| {
                let status = [Status::Completed, Status::Failed, Status::InProgress]
                    [rng.random_range(0..3)]
                .clone();
                let mut j = job(
                    &format!("{round:02}{i:010}"),
                    all_regions[rng.random_range(0..4)],
                    sources[rng.random_range(0..4)],
                    status,
                    rng.random_range(0..40),
                );
                if rng.random_bool(0.3) {
                    j.source_model_name = Some("named-later".into());
                }
                j
            })
            .collect();
        let first = rng.random_range(0..jobs.len());
        let mut m = Matrix::build(&regions(), &jobs[..first], CopyRegions::shipped());
        // Events, in an order of their own: arrivals, and jobs in flight
        // finishing (the same job again, with another status).
        let mut events: Vec<usize> = (first..jobs.len()).collect();
        for (i, j) in jobs.iter().enumerate() {
            if j.status == Status::InProgress && rng.random_bool(0.5) {
                events.push(i);
            }
        }
        events.shuffle(&mut rng);
        for i in events {
            if jobs[i].status == Status::InProgress && rng.random_bool(0.6) {
                let to = [Status::Completed, Status::Failed][rng.random_range(0..2)].clone();
                jobs[i].failure_message =
                    (to == Status::Failed).then(|| "KMS key disabled.".to_string());
                jobs[i].status = to;
            }
            m.apply(&jobs[i]);
        }
        let fresh = Matrix::build(&regions(), &jobs, CopyRegions::shipped());
        assert_eq!(rows(&m), rows(&fresh), "round {round}");
        assert_eq!(m.jobs(), jobs.len());
        assert_eq!(m.regions(), fresh.regions());
    }
}

#[test]
fn apply_says_whether_a_row_changed() {
    let running = job("a00000000001", "us-west-2", NOVA, Status::InProgress, 10);
    let mut m = Matrix::new(&regions(), CopyRegions::shipped());
    assert!(m.apply(&running), "a new row");
    assert!(!m.apply(&running), "the same job, unchanged");
    let mut done = running.clone();
    done.status = Status::Completed;
    assert!(m.apply(&done), "it finished");
    let older = job("a00000000000", "us-west-2", NOVA, Status::Failed, 5);
    assert!(m.apply(&older), "an older copy still counts");
    assert!(!m.apply(&older));
    let cell = m.row(0).and_then(|r| r.cell(1)).unwrap();
    assert_eq!((cell.status(), cell.copies), (Status::Completed, 2));
    // A name learnt later names the row (and may move it).
    assert!(m.apply(&named(older, "nova-ft")));
    assert_eq!(
        m.row(0).map(Model::display_name).as_deref(),
        Some("nova-ft")
    );
}

/// ARNs are kept as a shared prefix and an id, or whole when they are of
/// another shape: either way they read back as they came, and compare as
/// the texts do.
#[test]
fn arns_read_back_whole_and_compare_as_text() {
    for arn in [
        "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/a1b2c3d4e5f6",
        "arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12",
        "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/short",
        "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/longer-than-twelve",
        "no-slash-at-all",
        "trailing/",
        "é/ü",
        "",
    ] {
        let a = Arn::new(arn);
        assert_eq!(a.to_string(), arn);
        assert!(a.is(arn));
        assert!(!a.is(&format!("{arn}x")));
        assert_eq!(a.cmp_text(arn), Ordering::Equal);
        for other in [
            "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/a1b2c3d4e5f7",
            "a",
            "z",
        ] {
            assert_eq!(a.cmp_text(other), arn.cmp(other), "{arn} {other}");
        }
    }
}

/// A status is kept in a byte, with a failure's message or an unknown
/// status's text beside it: each reads back as the job had it.
#[test]
fn a_cell_reads_back_its_jobs_status_and_cause() {
    let failed = job("a00000000001", "us-west-2", NOVA, Status::Failed, 10);
    let paused = job(
        "a00000000002",
        "eu-central-1",
        NOVA,
        Status::Unknown("Paused".into()),
        10,
    );
    let m = Matrix::build(&regions(), [&failed, &paused], CopyRegions::shipped());
    let row = m.row(0).unwrap();
    let f = row.cell(1).unwrap();
    assert_eq!(
        (f.status(), f.status_str(), f.symbol()),
        (Status::Failed, "Failed", "✘")
    );
    assert_eq!(f.failure_message(), failed.failure_message.as_deref());
    let p = row.cell(2).unwrap();
    assert_eq!(p.status(), Status::Unknown("Paused".into()));
    assert_eq!(
        (p.status_str(), p.symbol(), p.failure_message()),
        ("Paused", "?", None)
    );
}

mod listed_models {
    use super::super::*;
    use crate::domain::copy_regions::CopyRegions;
    use crate::domain::custom_model::CustomModel;
    use crate::domain::job::{CopyJob, Status};

    const HOME: &str = "us-east-1";

    fn listed(id: &str, name: &str) -> CustomModel {
        CustomModel {
            model_arn: format!(
                "arn:aws:bedrock:{HOME}:111122223333:custom-model/amazon.nova-micro-v1:0:128k/{id}"
            )
            .into(),
            model_name: Some(name.into()),
            owner_account_id: "111122223333".into(),
            base_model_arn: None,
            base_model_name: None,
            customization_type: Some("FINE_TUNING".into()),
            model_status: Some("Active".into()),
            creation_time: None,
        }
    }

    /// A copy of `source` into `region`, making model `target` (an id).
    fn copy(n: u32, source: &CustomModel, region: &str, target: &str) -> CopyJob {
        let mut j = super::job(
            &format!("job{n:09}"),
            region,
            &source.model_arn,
            Status::Completed,
            i64::from(n),
        );
        j.target_model_arn = format!(
            "arn:aws:bedrock:{region}:111122223333:custom-model/amazon.nova-micro-v1:0:128k/{target}"
        );
        j.source_model_name = source.model_name.clone();
        j
    }

    fn names(m: &Matrix) -> Vec<String> {
        m.rows().map(Model::display_name).collect()
    }

    fn regions() -> Vec<String> {
        vec![HOME.into(), "us-west-2".into()]
    }

    #[test]
    fn a_model_never_copied_is_a_row_and_a_copys_own_model_is_not() {
        let a = listed("aaaaaaaaaaaa", "alpha");
        let b = listed("bbbbbbbbbbbb", "bravo");
        let job = copy(1, &a, "us-west-2", "cccccccccccc");
        // The copy's own model, as its region lists it.
        let mut made = listed("cccccccccccc", "alpha-usw2");
        made.model_arn = job.target_model_arn.clone().into();
        let models = [a.clone(), b.clone(), made.clone()];
        // Jobs first or models first: the same rows.
        let mut jobs_first = Matrix::build(&regions(), [&job], CopyRegions::shipped());
        jobs_first.add_models(&models);
        let mut models_first = Matrix::new(&regions(), CopyRegions::shipped());
        models_first.add_models(&models);
        assert_eq!(names(&models_first), ["alpha", "alpha-usw2", "bravo"]);
        models_first.apply(&job);
        for m in [&jobs_first, &models_first] {
            assert_eq!(names(m), ["alpha", "bravo"]);
            assert_eq!(m.never_copied(), 1);
            let bravo = m.row(1).unwrap();
            assert!(bravo.never_copied());
            assert_eq!(bravo.model_status(), Some("Active"));
            assert_eq!(bravo.customization_type(), Some("FINE_TUNING"));
            let alpha = m.row(0).unwrap();
            assert_eq!(alpha.copies().count(), 1);
            assert_eq!(alpha.listed.as_deref(), Some(&a));
        }
    }

    #[test]
    fn a_copy_copied_on_is_a_source_and_a_row_again() {
        let a = listed("aaaaaaaaaaaa", "alpha");
        let job = copy(1, &a, "us-west-2", "cccccccccccc");
        let mut made = listed("cccccccccccc", "alpha-usw2");
        made.model_arn = job.target_model_arn.clone().into();
        let mut m = Matrix::build(&regions(), [&job], CopyRegions::shipped());
        m.add_models([&made]);
        assert_eq!(names(&m), ["alpha"]);
        // The copy copied on to another region: a source, so a row.
        let again = copy(2, &made, "eu-central-1", "dddddddddddd");
        m.apply(&again);
        assert_eq!(names(&m), ["alpha", "alpha-usw2"]);
        assert_eq!(m.row(1).unwrap().model_status(), Some("Active"));
    }
}
