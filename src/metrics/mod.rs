//! Metrics (metrics.md): one file per section, each a small function over
//! polars frames or the linked dataset. `compute` runs them all and returns
//! the summary; nothing here reads files or prints.

pub mod cadence;
pub mod collections;
pub mod compare;
pub mod cycle;
pub mod definitions;
pub mod forecast;
pub mod frames;
pub mod funnel;
pub mod grades;
pub mod keywords;
pub mod lost;
pub mod monthly;
pub mod needs;
pub mod order;
pub mod period;
#[cfg(test)]
mod properties;
pub mod reps;
pub mod satisfaction;
pub mod stages;
pub mod stats;
pub mod targets;
pub mod teams;
pub mod todos;
pub mod weekly;

use chrono::NaiveDate;
use polars::prelude::PolarsResult;
use std::collections::BTreeMap;

use crm_core::config::Config;
use crm_core::dataset::Dataset;
use crm_core::findings::Finding;
use crm_core::normalize::date::iso_date;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;
use crm_core::schema::Field;

use crate::report::summary::{
    Activity, Cadence, Collections, Complaints, Customers, Cycle, Forecast, Funnel, Grades,
    LostAnalysis, MonthRow, NeedCount, NeedKeyword, Quality, RepRow, Satisfaction, Summary,
    TargetRow, TimeInStage, Todos, Tool, WeekRow,
};
use period::Period;

/// Every field whose values a metric reads (besides dates: a run keeps
/// every date, see [`crm_core::tables::Projection::Only`]). `report` loads
/// only these; a metric reading another field must add it here (the
/// `projection_keeps_every_figure` test compares the two loads).
pub const FIELDS_READ: &[Field] = &[
    Field::CustomerId,
    Field::CustomerName,
    Field::Industry,
    Field::Source,
    Field::Grade,
    Field::Owner,
    Field::Team,
    Field::Stage,
    Field::LostAtStage,
    Field::LostReason,
    Field::DealStatus,
    Field::ContactName,
    Field::ContactTitle,
    Field::Phone,
    Field::BusinessGoal,
    Field::NeedCore,
    Field::NeedSecondary,
    Field::NeedTags,
    Field::PainPoints,
    Field::Budget,
    Field::OpportunityId,
    Field::DealAmount,
    Field::Probability,
    Field::CollectedAmount,
    Field::Satisfaction,
    Field::RepurchaseIntent,
    Field::ReferralIntent,
    Field::Method,
    Field::NextAction,
    Field::TargetPeriod,
    Field::TargetAmount,
    Field::ComplaintType,
    Field::ComplaintStatus,
];

/// What a metrics run needs.
pub struct MetricsInput<'a> {
    /// The linked dataset.
    pub ds: &'a Dataset,
    /// Opportunities as of the as-of date.
    pub opps: &'a [Opportunity],
    /// Stage table.
    pub pipeline: &'a Pipeline,
    /// Configuration.
    pub config: &'a Config,
    /// As-of date.
    pub as_of: NaiveDate,
    /// Report period.
    pub period: Option<&'a Period>,
}

/// The sections computed from the linked records rather than the
/// opportunity frame: they run on a second thread beside the others.
struct RecordSections {
    activity: Activity,
    top_needs: Vec<NeedCount>,
    need_keywords: Vec<NeedKeyword>,
    grades: Grades,
    satisfaction: Satisfaction,
    complaints: Complaints,
    monthly: Vec<MonthRow>,
    targets: Vec<TargetRow>,
    todos: Todos,
    weekly_activity: Vec<WeekRow>,
    collections: Collections,
    quality: Quality,
    time_in_stage: TimeInStage,
}

/// Computes every section of the summary. The sections over the records
/// (needs, to-dos, monthly, weekly…) run on a second thread while this one
/// computes the funnel and what builds on it; every section is a pure
/// function of the input, so the result does not depend on the threads.
pub fn compute(x: &MetricsInput) -> PolarsResult<Summary> {
    let ds = x.ds;
    let (frame_part, records) = std::thread::scope(|scope| {
        let records = scope.spawn(|| record_sections(x));
        let frame_part = frame_sections(x);
        let records = records
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (frame_part, records)
    });
    let FrameSections {
        funnel,
        cycle,
        cadence,
        reps,
        teams,
        forecast,
        lost_analysis,
    } = frame_part?;
    let records = records?;
    Ok(Summary {
        tool: Tool {
            name: "crm-report".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        as_of: iso_date(x.as_of),
        period: x.period.map(|p| p.label.clone()),
        inputs: ds.inputs.clone(),
        rows: ds.rows,
        customers: Customers {
            total: ds.customers.len(),
            duplicates_merged: ds.customers.iter().map(|c| c.merged.len()).sum(),
        },
        activity: records.activity,
        cycle_days: cycle,
        top_needs: records.top_needs,
        need_keywords: records.need_keywords,
        cadence,
        grades: records.grades,
        teams,
        reps,
        satisfaction: records.satisfaction,
        complaints: records.complaints,
        monthly: records.monthly,
        forecast,
        targets: records.targets,
        todos: records.todos,
        weekly_activity: records.weekly_activity,
        collections: records.collections,
        quality: records.quality,
        lost_analysis,
        time_in_stage: records.time_in_stage,
        compare: None,
        funnel,
    })
}

/// The funnel and the sections that build on it or on the opportunities.
struct FrameSections {
    funnel: Funnel,
    cycle: Cycle,
    cadence: Cadence,
    reps: Vec<RepRow>,
    teams: Vec<RepRow>,
    forecast: Forecast,
    lost_analysis: LostAnalysis,
}

/// Computes the funnel, cycle, cadence, reps and teams, the forecast and
/// the lost analysis.
fn frame_sections(x: &MetricsInput) -> PolarsResult<FrameSections> {
    let ds = x.ds;
    let frame = frames::opportunity_frame(x.opps, x.pipeline, x.period)?;
    let no_start_date = match x.period {
        Some(_) => x.opps.iter().filter(|o| o.start.is_none()).count(),
        None => 0,
    };
    let funnel = funnel::funnel(&frame, x.pipeline, no_start_date)?;
    let cycle = cycle::cycle(&frame)?;
    let cadence_rows = cadence::customer_cadence(ds, x.opps, x.pipeline, x.config, x.as_of);
    let reps = reps::reps(&reps::RepInputs {
        ds,
        opps: x.opps,
        pipeline: x.pipeline,
        by_owner: &funnel.by_owner,
        cycle_by_owner: &cycle.by_owner,
        cadence: &cadence_rows,
        as_of: x.as_of,
        period: x.period,
    })?;
    let cadence = cadence::cadence(&cadence_rows)?;
    let teams = teams::teams(ds, &reps, &frame)?;
    // The frame and the cadence rows (one per opportunity and per customer)
    // are freed before the rest is computed: the run's memory peaks here.
    drop(cadence_rows);
    drop(frame);
    Ok(FrameSections {
        forecast: forecast::forecast(x.opps, x.pipeline, &x.config.forecast, x.as_of)?,
        lost_analysis: lost::lost_analysis(x.opps, x.pipeline, x.period)?,
        cadence,
        teams,
        reps,
        cycle,
        funnel,
    })
}

/// Computes the sections over the linked records: activity, needs and
/// keywords, grades, satisfaction, complaints, monthly, targets, to-dos,
/// weekly activity, collections and quality; and time in stage, which
/// needs only the opportunities but evens out the two threads' work.
fn record_sections(x: &MetricsInput) -> PolarsResult<RecordSections> {
    let ds = x.ds;
    // Without a period the cohort is every customer: borrowed, not cloned.
    let cohort_of_period: Vec<crm_core::dedup::Customer>;
    let cohort: &[crm_core::dedup::Customer] = match x.period {
        None => &ds.customers,
        Some(p) => {
            let starts: std::collections::HashSet<usize> = x
                .opps
                .iter()
                .filter(|o| o.start.is_some_and(|s| p.contains(s)))
                .filter_map(|o| o.customer())
                .collect();
            let collected = ds
                .customers
                .iter()
                .enumerate()
                .filter(|(i, _)| starts.contains(i))
                .map(|(_, c)| c.clone())
                .collect();
            cohort_of_period = collected;
            &cohort_of_period
        }
    };
    Ok(RecordSections {
        activity: monthly::activity(ds, x.opps, x.pipeline, x.as_of, x.period),
        top_needs: needs::top_needs(cohort, &x.config.needs),
        need_keywords: keywords::need_keywords(cohort),
        grades: grades::grades(
            &ds.customers,
            x.opps,
            x.pipeline,
            &x.config.grading,
            x.as_of,
        )?,
        satisfaction: satisfaction::satisfaction(ds),
        complaints: satisfaction::complaints(ds),
        monthly: monthly::monthly(ds, x.opps, x.pipeline, x.as_of)?,
        targets: targets::targets(ds, x.opps, x.pipeline, x.as_of, x.period)?,
        todos: todos::todos(ds, x.as_of)?,
        weekly_activity: weekly::weekly_activity(ds, x.as_of)?,
        collections: collections::collections(ds, x.opps, x.pipeline, x.as_of)?,
        quality: quality(&ds.findings),
        time_in_stage: stages::time_in_stage(x.opps, x.pipeline, &x.config.stall, x.as_of)?,
    })
}

/// Findings counted per code.
pub fn quality(findings: &[Finding]) -> Quality {
    // Counted by the code's static name: one copy per code, not per finding.
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(f.code.code()).or_default() += 1;
    }
    Quality {
        issues: findings.len(),
        by_code: counts
            .into_iter()
            .map(|(code, n)| (code.to_string(), n))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::findings::Code;
    use crm_core::model::{Origin, Source};
    use std::sync::Arc;

    /// Findings are counted per code, in code order, with their total.
    #[test]
    fn quality_counts_findings_per_code() {
        let source = Arc::new(Source {
            file: "a.xlsx".into(),
            sheet: "客户".into(),
        });
        let codes = [
            Code::UnparseableDate,
            Code::MissingCustomerName,
            Code::UnparseableDate,
            Code::InvalidPhone,
            Code::UnparseableDate,
        ];
        let findings: Vec<Finding> = codes
            .iter()
            .enumerate()
            .map(|(i, &code)| Finding::new(code, &Origin::new(&source, i + 2), "列", "值"))
            .collect();
        let q = quality(&findings);
        assert_eq!(q.issues, 5);
        let counted: Vec<(&str, usize)> = q.by_code.iter().map(|(c, &n)| (c.as_str(), n)).collect();
        assert_eq!(
            counted,
            vec![
                ("invalid_phone", 1),
                ("missing_customer_name", 1),
                ("unparseable_date", 3)
            ]
        );
        assert_eq!(quality(&[]).issues, 0);
    }
}
