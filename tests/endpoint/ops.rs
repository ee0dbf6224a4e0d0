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
    let missing = "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/zzzzzzzzzzzz";
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
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
    let source = list_all(c.list_model_copy_jobs(), 100).await[0]
        .source_model_arn
        .clone();
    let tags: Vec<Tag> = (0..201)
        .map(|i| {
            Tag::builder()
                .key(format!("k{i}"))
                .value("v")
                .build()
                .unwrap()
        })
        .collect();
    match c
        .create_model_copy_job()
        .source_model_arn(&source)
        .target_model_name("many-tags")
        .set_target_model_tags(Some(tags))
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        CreateModelCopyJobError::TooManyTagsException(e) => {
            assert_eq!(e.resource_name(), Some("many-tags"));
            assert!(e.message().unwrap().contains("201"));
        }
        other => panic!("expected TooManyTagsException, got {other:?}"),
    }
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
