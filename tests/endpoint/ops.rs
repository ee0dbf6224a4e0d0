//! GetModelCopyJob, CreateModelCopyJob, ListTagsForResource and regions.

use crate::common::*;
use aws_sdk_bedrock::error::ProvideErrorMetadata;
use aws_sdk_bedrock::operation::create_model_copy_job::CreateModelCopyJobError;
use aws_sdk_bedrock::operation::get_model_copy_job::GetModelCopyJobError;
use aws_sdk_bedrock::operation::list_tags_for_resource::ListTagsForResourceError;
use aws_sdk_bedrock::types::{ModelCopyJobStatus, Tag};

#[tokio::test]
async fn get_returns_what_list_shows_and_unknown_jobs_are_not_found() {
    let s = start(options(200)).await;
    let c = client(&s);
    let all = list_all(c.list_model_copy_jobs(), 1000).await;
    for j in all.iter().step_by(17).chain(
        all.iter()
            .filter(|j| j.status == ModelCopyJobStatus::Failed)
            .take(3),
    ) {
        let g = c
            .get_model_copy_job()
            .job_arn(&j.job_arn)
            .send()
            .await
            .unwrap();
        assert_eq!(g.job_arn, j.job_arn);
        assert_eq!(g.status, j.status);
        assert_eq!(g.creation_time, j.creation_time);
        assert_eq!(g.target_model_arn, j.target_model_arn);
        assert_eq!(g.target_model_name, j.target_model_name);
        assert_eq!(g.source_account_id, j.source_account_id);
        assert_eq!(g.source_model_arn, j.source_model_arn);
        assert_eq!(g.target_model_kms_key_arn, j.target_model_kms_key_arn);
        assert_eq!(g.target_model_tags, j.target_model_tags);
        assert_eq!(g.failure_message, j.failure_message);
        assert_eq!(
            g.failure_message.is_some(),
            g.status == ModelCopyJobStatus::Failed
        );
    }
    let known = &all[0].job_arn;
    let unknown = format!("{}zzzzzzzzzzzz", &known[..known.len() - 12]);
    let other_region = known.replace("us-east-1", "eu-west-1");
    for arn in [unknown, other_region] {
        match c
            .get_model_copy_job()
            .job_arn(&arn)
            .send()
            .await
            .unwrap_err()
            .into_service_error()
        {
            GetModelCopyJobError::ResourceNotFoundException(e) => {
                assert!(e.message().unwrap().contains(&arn))
            }
            other => panic!("{arn}: expected ResourceNotFoundException, got {other:?}"),
        }
    }
    match c
        .get_model_copy_job()
        .job_arn("not-an-arn")
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        GetModelCopyJobError::ValidationException(e) => {
            assert!(
                e.message()
                    .unwrap()
                    .contains("Value 'not-an-arn' at 'jobArn' failed to satisfy constraint")
            )
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn create_makes_the_newest_job_and_is_idempotent() {
    let s = start(options(100)).await;
    let c = client(&s);
    let source = list_all(c.list_model_copy_jobs(), 1000)
        .await
        .into_iter()
        .find(|j| j.source_model_arn.contains(":custom-model/"))
        .unwrap();
    let tag = Tag::builder().key("team").value("search").build().unwrap();
    let req = || {
        c.create_model_copy_job()
            .source_model_arn(&source.source_model_arn)
            .target_model_name("search-ranker-use1-copy")
            .model_kms_key_id("alias/models")
            .target_model_tags(tag.clone())
            .client_request_token("token-1")
    };
    let made = req().send().await.unwrap();
    assert!(
        made.job_arn.starts_with("arn:aws:bedrock:us-east-1:")
            && made.job_arn.contains(":model-copy-job/")
    );
    assert_eq!(
        req().send().await.unwrap().job_arn,
        made.job_arn,
        "same token, same job"
    );
    let newest = c
        .list_model_copy_jobs()
        .max_results(1)
        .send()
        .await
        .unwrap()
        .model_copy_job_summaries()[0]
        .clone();
    assert_eq!(newest.job_arn, made.job_arn);
    assert_eq!(newest.status, ModelCopyJobStatus::InProgress);
    assert_eq!(newest.target_model_name(), Some("search-ranker-use1-copy"));
    assert_eq!(newest.source_model_arn, source.source_model_arn);
    assert_eq!(newest.target_model_tags(), std::slice::from_ref(&tag));
    assert!(newest.target_model_kms_key_arn().unwrap().contains(":key/"));
    assert_eq!(list_all(c.list_model_copy_jobs(), 1000).await.len(), 101);
    // The SDK fills a fresh token itself: two plain calls are two jobs.
    let a = c
        .create_model_copy_job()
        .source_model_arn(&source.source_model_arn)
        .target_model_name("a1")
        .send()
        .await
        .unwrap();
    let b = c
        .create_model_copy_job()
        .source_model_arn(&source.source_model_arn)
        .target_model_name("a1")
        .send()
        .await
        .unwrap();
    assert_ne!(a.job_arn, b.job_arn);
    // The job finishes once the clock moves on.
    s.emulator.clock.advance(3 * 3_600_000);
    let done = c
        .get_model_copy_job()
        .job_arn(&made.job_arn)
        .send()
        .await
        .unwrap();
    assert_ne!(done.status, ModelCopyJobStatus::InProgress);
    // The same token with other parameters is refused.
    let clash = c
        .create_model_copy_job()
        .source_model_arn(&source.source_model_arn)
        .target_model_name("other")
        .client_request_token("token-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(clash.code(), Some("ValidationException"));
}

#[tokio::test]
async fn create_errors_are_the_services() {
    let s = start(options(20)).await;
    let c = client(&s);
    // No region's data has these: a custom model, a foundation model.
    for missing in [
        "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz",
        "arn:aws:bedrock:eu-west-1::foundation-model/amazon.no-such-model-v9:0",
    ] {
        match c
            .create_model_copy_job()
            .source_model_arn(missing)
            .target_model_name("x")
            .send()
            .await
            .unwrap_err()
            .into_service_error()
        {
            CreateModelCopyJobError::ResourceNotFoundException(e) => {
                assert!(e.message().unwrap().contains(missing))
            }
            other => panic!("{missing}: expected ResourceNotFoundException, got {other:?}"),
        }
    }
    let bad_arn = c
        .create_model_copy_job()
        .source_model_arn("arn:aws:bedrock:us-west-2:1234:custom-model/x")
        .target_model_name("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_arn.code(), Some("ValidationException"));
    assert!(
        bad_arn.message().unwrap().starts_with(
            "1 validation error detected: Value 'arn:aws:bedrock:us-west-2:1234:custom-model/x' at 'sourceModelArn' failed to satisfy constraint"
        ),
        "{:?}",
        bad_arn.message()
    );
    let source = list_all(c.list_model_copy_jobs(), 100).await[0]
        .source_model_arn
        .clone();
    let tags = |n: usize| -> Vec<Tag> {
        (0..n)
            .map(|i| {
                Tag::builder()
                    .key(format!("k{i}"))
                    .value("v")
                    .build()
                    .unwrap()
            })
            .collect()
    };
    let with_tags = |n: usize| {
        c.create_model_copy_job()
            .source_model_arn(&source)
            .target_model_name("many-tags")
            .set_target_model_tags(Some(tags(n)))
            .send()
    };
    // 50 tags a resource: the 51st is refused, naming the model by its ARN.
    let base = source
        .rsplit_once('/')
        .unwrap()
        .0
        .split_once("custom-model/")
        .unwrap()
        .1;
    for n in [51, 200] {
        match with_tags(n).await.unwrap_err().into_service_error() {
            CreateModelCopyJobError::TooManyTagsException(e) => {
                let name = e.resource_name().unwrap();
                let prefix = format!(
                    "arn:aws:bedrock:us-east-1:{}:custom-model/{base}/",
                    s.emulator.account
                );
                assert!(name.starts_with(&prefix), "{name}");
                assert!(copyjobs::domain::constraints::matches(
                    copyjobs::domain::constraints::TAGGABLE_ARN,
                    name
                ));
                assert!(e.message().unwrap().contains(&format!("{n} tags")));
            }
            other => panic!("{n}: expected TooManyTagsException, got {other:?}"),
        }
    }
    // Past the TagList shape's 200, the request itself is invalid.
    let e = with_tags(201).await.unwrap_err();
    assert_eq!(e.code(), Some("ValidationException"));
    assert!(
        e.message().unwrap().contains(
            "at 'targetModelTags' failed to satisfy constraint: Member must have length less than or equal to 200"
        ),
        "{:?}",
        e.message()
    );
    let bad = c
        .create_model_copy_job()
        .source_model_arn(&source)
        .target_model_name("bad name!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some("ValidationException"));
    assert!(
        bad.message()
            .unwrap()
            .contains("at 'targetModelName' failed to satisfy constraint")
    );
    let bad_tag = c
        .create_model_copy_job()
        .source_model_arn(&source)
        .target_model_name("ok")
        .target_model_tags(Tag::builder().key("").value("v").build().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(
        bad_tag
            .message()
            .unwrap()
            .contains("targetModelTags.1.member.key"),
        "{:?}",
        bad_tag.message()
    );
    assert_eq!(
        list_all(c.list_model_copy_jobs(), 100).await.len(),
        20,
        "refused requests change nothing"
    );
    // Up to 50 is fine.
    with_tags(50).await.unwrap();
}

#[tokio::test]
async fn tags_of_a_copied_model() {
    let s = start(options(100)).await;
    let c = client(&s);
    let all = list_all(c.list_model_copy_jobs(), 1000).await;
    let tagged = all
        .iter()
        .find(|j| j.target_model_tags().len() > 2)
        .unwrap();
    let tags = c
        .list_tags_for_resource()
        .resource_arn(&tagged.target_model_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags(), tagged.target_model_tags());
    let gone = format!(
        "{}zzzzzzzzzzzz",
        &tagged.target_model_arn[..tagged.target_model_arn.len() - 12]
    );
    match c
        .list_tags_for_resource()
        .resource_arn(&gone)
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        ListTagsForResourceError::ResourceNotFoundException(_) => {}
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}

#[tokio::test]
async fn each_region_has_its_own_jobs() {
    let s = start(options(150)).await;
    let east = list_all(client(&s).list_model_copy_jobs(), 1000).await;
    let west_client = client_with(&s, "eu-west-1", "AKIDTEST", "secret", 1);
    let west = list_all(west_client.list_model_copy_jobs(), 1000).await;
    assert_eq!((east.len(), west.len()), (150, 150));
    assert!(
        east.iter().all(
            |j| j.job_arn.contains(":us-east-1:") && j.target_model_arn.contains(":us-east-1:")
        )
    );
    assert!(
        west.iter().all(
            |j| j.job_arn.contains(":eu-west-1:") && j.target_model_arn.contains(":eu-west-1:")
        )
    );
    // A job of one region is not found in another.
    assert!(
        west_client
            .get_model_copy_job()
            .job_arn(&east[0].job_arn)
            .send()
            .await
            .is_err()
    );

    let mut o = options(40);
    o.regions = vec!["us-west-2".into()];
    let only = start(o).await;
    assert_eq!(
        list_all(
            client_with(&only, "us-west-2", "a", "b", 1).list_model_copy_jobs(),
            100
        )
        .await
        .len(),
        40
    );
    assert!(
        list_all(client(&only).list_model_copy_jobs(), 100)
            .await
            .is_empty(),
        "unlisted regions are empty"
    );
}

#[tokio::test]
async fn a_denied_region_is_refused_while_others_answer() {
    let mut o = options(50);
    o.deny_regions = vec!["eu-central-1".into()];
    let s = start(o).await;
    let denied = client_with(&s, "eu-central-1", "AKIDTEST", "secret", 1);
    match denied
        .list_model_copy_jobs()
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        aws_sdk_bedrock::operation::list_model_copy_jobs::ListModelCopyJobsError::AccessDeniedException(e) => {
            let msg = e.message().unwrap();
            assert!(msg.starts_with("User: arn:aws:iam::"), "{msg}");
            assert!(
                msg.contains(":user/demo is not authorized to perform: bedrock:ListModelCopyJobs on resource: arn:aws:bedrock:eu-central-1:"),
                "{msg}"
            );
            assert!(msg.ends_with("with an explicit deny in a service control policy"), "{msg}");
        }
        other => panic!("expected AccessDeniedException, got {other:?}"),
    }
    let east = list_all(client(&s).list_model_copy_jobs(), 1000).await;
    assert_eq!(
        east.len(),
        50,
        "another region on the same server still lists"
    );
    // Every operation is refused there, named in the message.
    let get = denied
        .get_model_copy_job()
        .job_arn(&east[0].job_arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(get.code(), Some("AccessDeniedException"));
    assert!(get.message().unwrap().contains("bedrock:GetModelCopyJob"));
}

fn in_region(s: &copyjobs::emulator::Server, region: &str) -> aws_sdk_bedrock::Client {
    client_with(s, region, "AKIDTEST", "secret", 1)
}

/// The `custom-model/BASE/` part a copy carries over from its source.
fn base_of(model_arn: &str) -> &str {
    let rest = model_arn.split_once(":custom-model/").unwrap().1;
    rest.rsplit_once('/').unwrap().0
}

async fn get_job(
    c: &aws_sdk_bedrock::Client,
    job_arn: &str,
) -> aws_sdk_bedrock::operation::get_model_copy_job::GetModelCopyJobOutput {
    c.get_model_copy_job()
        .job_arn(job_arn)
        .send()
        .await
        .unwrap()
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder().key(key).value(value).build().unwrap()
}

fn three_regions(jobs: usize) -> copyjobs::emulator::EmulatorOptions {
    let mut o = options(jobs);
    o.regions = vec![
        "us-west-2".into(),
        "eu-central-1".into(),
        "us-east-1".into(),
    ];
    o
}

#[tokio::test]
async fn a_model_of_another_region_is_copied_into_this_one() {
    // Enough jobs that some model of us-west-2's data goes to neither.
    let jobs = 1500;
    let s = start(three_regions(jobs)).await;
    let account = s.emulator.account.clone();
    let west = in_region(&s, "us-west-2");
    let dests = [
        ("eu-central-1", in_region(&s, "eu-central-1")),
        ("us-east-1", in_region(&s, "us-east-1")),
    ];
    // A model that us-west-2's data copies and neither destination's own
    // data does (only the search across regions can find it), which lives
    // in neither and may be copied to both.
    let guide = copyjobs_contract::copy_regions::Guide::shipped();
    let mut source = None;
    for j in list_all(west.list_model_copy_jobs(), 1000).await {
        let arn = &j.source_model_arn;
        let goes = dests
            .iter()
            .all(|(r, _)| !arn.contains(&format!(":{r}:")) && guide.allows(arn, r));
        if !(goes && arn.contains(":custom-model/")) {
            continue;
        }
        let mut elsewhere = false;
        for (_, c) in &dests {
            elsewhere |= !list_all(c.list_model_copy_jobs().source_model_arn_equals(arn), 100)
                .await
                .is_empty();
        }
        if !elsewhere {
            source = Some(j);
            break;
        }
    }
    let source = source.expect("a model only us-west-2's data copies from");
    let team = tag("team", "search");
    let mut made = Vec::new();
    for (region, c) in &dests {
        let req = || {
            copy(c, &source.source_model_arn, "ranker-copy")
                .model_kms_key_id("alias/models")
                .target_model_tags(team.clone())
                .client_request_token("copy-1")
        };
        let job_arn = req().send().await.unwrap().job_arn;
        assert!(
            job_arn.starts_with(&format!(
                "arn:aws:bedrock:{region}:{account}:model-copy-job/"
            )),
            "{job_arn}"
        );
        // Repeated in one region: the same job, nothing new.
        assert_eq!(req().send().await.unwrap().job_arn, job_arn);
        let g = get_job(c, &job_arn).await;
        assert_eq!(g.status, ModelCopyJobStatus::InProgress);
        assert_eq!(g.source_model_arn, source.source_model_arn);
        assert_eq!(g.source_account_id, source.source_account_id);
        assert_eq!(g.source_model_name, source.source_model_name);
        assert!(g.source_model_name.is_some());
        assert_eq!(g.target_model_name(), Some("ranker-copy"));
        assert_eq!(g.target_model_tags(), std::slice::from_ref(&team));
        assert!(
            g.target_model_kms_key_arn()
                .unwrap()
                .starts_with(&format!("arn:aws:kms:{region}:{account}:key/"))
        );
        assert!(g.target_model_arn.starts_with(&format!(
            "arn:aws:bedrock:{region}:{account}:custom-model/{}/",
            base_of(&source.source_model_arn)
        )));
        // Listed in its region, newest, and found by both source filters.
        let all = list_all(c.list_model_copy_jobs(), 1000).await;
        assert_eq!((all.len(), &all[0].job_arn), (jobs + 1, &job_arn));
        let by_arn = list_all(
            c.list_model_copy_jobs()
                .source_model_arn_equals(&source.source_model_arn),
            100,
        )
        .await;
        assert_eq!(arns(&by_arn), vec![job_arn.clone()]);
        let listed = &by_arn[0];
        assert_eq!(
            (
                &listed.target_model_arn,
                &listed.source_model_name,
                listed.target_model_tags()
            ),
            (
                &g.target_model_arn,
                &g.source_model_name,
                g.target_model_tags()
            )
        );
        let by_account = list_all(
            c.list_model_copy_jobs()
                .source_account_equals(&source.source_account_id),
            1000,
        )
        .await;
        assert!(by_account.iter().any(|j| j.job_arn == job_arn));
        assert!(
            by_account
                .iter()
                .all(|j| j.source_account_id == source.source_account_id)
        );
        made.push(job_arn);
    }
    // The same token in two regions: two jobs, one in each.
    assert_ne!(made[0], made[1]);
    let (central, east) = (&dests[0].1, &dests[1].1);
    let clash = copy(central, &source.source_model_arn, "another-name")
        .client_request_token("copy-1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(clash.code(), Some("ValidationException"));
    assert!(clash.message().unwrap().contains("clientRequestToken"));
    // The most tags a model may have.
    let most = copyjobs::emulator::api::TAGS_PER_RESOURCE;
    let tags: Vec<Tag> = (0..most).map(|i| tag(&format!("k{i}"), "v")).collect();
    let full = copy(east, &source.source_model_arn, "many-tags")
        .set_target_model_tags(Some(tags.clone()))
        .send()
        .await
        .unwrap();
    let g = get_job(east, &full.job_arn).await;
    assert_eq!(g.target_model_tags(), tags.as_slice());
    // The lifecycle clock moves them on like any other job.
    let (status, _, body) = raw(
        &s,
        b"POST /_emulator/advance?seconds=10800 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for ((_, c), job_arn) in dests.iter().zip(&made) {
        let g = get_job(c, job_arn).await;
        assert_ne!(g.status, ModelCopyJobStatus::InProgress);
        assert_eq!(
            g.failure_message.is_some(),
            g.status == ModelCopyJobStatus::Failed
        );
        let same = list_all(
            c.list_model_copy_jobs().status_equals(g.status.clone()),
            1000,
        )
        .await;
        assert!(same.iter().any(|j| &j.job_arn == job_arn));
    }
}

#[tokio::test]
async fn a_completed_copy_is_copied_on_to_more_regions() {
    let s = start(three_regions(200)).await;
    let account = s.emulator.account.clone();
    let west = in_region(&s, "us-west-2");
    let central = in_region(&s, "eu-central-1");
    let east = in_region(&s, "us-east-1");
    let west_jobs = list_all(west.list_model_copy_jobs(), 1000).await;
    let not_found =
        |e: aws_sdk_bedrock::error::SdkError<CreateModelCopyJobError, _>, arn: &str| match e
            .into_service_error()
        {
            CreateModelCopyJobError::ResourceNotFoundException(e) => {
                assert!(e.message().unwrap().contains(arn), "{:?}", e.message())
            }
            other => panic!("{arn}: expected ResourceNotFoundException, got {other:?}"),
        };
    // The target of a us-west-2 copy that has completed is a model there.
    let done = west_jobs
        .iter()
        .find(|j| j.status == ModelCopyJobStatus::Completed)
        .unwrap();
    let made = copy(&central, &done.target_model_arn, "onward")
        .send()
        .await
        .unwrap();
    let g = get_job(&central, &made.job_arn).await;
    assert_eq!(g.source_model_arn, done.target_model_arn);
    assert_eq!(g.source_account_id, account, "the copy is the caller's");
    assert_eq!(g.source_model_name, done.target_model_name);
    assert_eq!(
        base_of(&g.target_model_arn),
        base_of(&done.target_model_arn)
    );
    // One still in flight has no model yet.
    let running = west_jobs
        .iter()
        .find(|j| j.status == ModelCopyJobStatus::InProgress)
        .unwrap();
    let e = copy(&central, &running.target_model_arn, "too-soon")
        .send()
        .await
        .unwrap_err();
    not_found(e, &running.target_model_arn);

    // Copies made here become sources once the clock has let them finish.
    let mut hops = Vec::new();
    for name in ["hop-1", "hop-2", "hop-3", "hop-4"] {
        let arn = copy(&central, &done.target_model_arn, name)
            .send()
            .await
            .unwrap()
            .job_arn;
        let target = get_job(&central, &arn).await.target_model_arn;
        let e = copy(&east, &target, "early").send().await.unwrap_err();
        not_found(e, &target);
        hops.push((arn, target, name));
    }
    s.emulator.clock.advance(3 * 3_600_000);
    let mut completed = 0;
    for (arn, target, name) in &hops {
        let status = get_job(&central, arn).await.status;
        let further = copy(&east, target, "third-region").send().await;
        if status == ModelCopyJobStatus::Completed {
            completed += 1;
            let g = get_job(&east, &further.unwrap().job_arn).await;
            assert_eq!(g.source_model_arn, *target);
            assert_eq!(g.source_model_name.as_deref(), Some(*name));
            assert!(g.target_model_arn.contains(":us-east-1:"));
            let listed = list_all(
                east.list_model_copy_jobs().source_model_arn_equals(target),
                10,
            )
            .await;
            assert_eq!(listed.len(), 1);
        } else {
            assert_eq!(status, ModelCopyJobStatus::Failed);
            not_found(further.unwrap_err(), target);
        }
    }
    assert!(completed > 0, "most copies complete");
}

#[tokio::test]
async fn a_source_account_the_caller_may_not_read_is_refused() {
    // The models us-west-2's data copies, as an endpoint of the same seed has them.
    let west = copyjobs::emulator::Emulator::new(three_regions(50)).store("us-west-2");
    let west = west.lock().unwrap().profile.clone();
    let guide = copyjobs_contract::copy_regions::Guide::shipped();
    let custom = |m: &&copyjobs::emulator::model::SourceModel| m.arn.contains(":custom-model/");
    let theirs = west
        .sources
        .iter()
        .filter(custom)
        .find(|m| m.account != west.account)
        .unwrap();
    // One of the caller's that both regions below may take a copy of.
    let ours = west
        .sources
        .iter()
        .filter(custom)
        .find(|m| {
            m.account == west.account
                && ["eu-central-1", "us-east-1"]
                    .iter()
                    .all(|r| !m.arn.contains(&format!(":{r}:")) && guide.allows(&m.arn, r))
        })
        .unwrap();
    let mut o = three_regions(50);
    o.deny_source_accounts = vec![theirs.account.clone()];
    let s = start(o).await;
    let central = in_region(&s, "eu-central-1");
    let mut unknown = theirs.arn.clone();
    unknown.replace_range(unknown.len() - 12.., "zzzzzzzzzzzz");
    // Refused whether the model exists or not: a refusal tells nothing.
    for arn in [&theirs.arn, &unknown] {
        match copy(&central, arn, "not-allowed")
            .send()
            .await
            .unwrap_err()
            .into_service_error()
        {
            CreateModelCopyJobError::AccessDeniedException(e) => assert_eq!(
                e.message().unwrap(),
                format!(
                    "User: arn:aws:iam::{}:user/demo is not authorized to perform: bedrock:CreateModelCopyJob on resource: {arn} because no resource-based policy allows the bedrock:CreateModelCopyJob action",
                    s.emulator.account
                )
            ),
            other => panic!("{arn}: expected AccessDeniedException, got {other:?}"),
        }
    }
    assert_eq!(
        list_all(central.list_model_copy_jobs(), 100).await.len(),
        50
    );
    // Models of other accounts still copy, into any region, and the denied
    // account's jobs still list.
    for region in ["eu-central-1", "us-east-1"] {
        let c = in_region(&s, region);
        let made = copy(&c, &ours.arn, "allowed").send().await.unwrap();
        assert!(made.job_arn.contains(&format!(":{region}:")));
    }
    let listed = list_all(
        in_region(&s, "us-west-2")
            .list_model_copy_jobs()
            .source_account_equals(&theirs.account),
        100,
    )
    .await;
    assert!(!listed.is_empty());
}
