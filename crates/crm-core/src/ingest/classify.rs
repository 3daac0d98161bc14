//! Table classification (schema.md §1): which kind of table a sheet is,
//! decided from its mapped fields by the first rule that applies.

use std::collections::HashSet;

use crate::model::TableKind;
use crate::schema::Field;

/// Fields that mark a customer-level column in a combined legacy sheet.
const CUSTOMER_LEVEL: &[Field] = &[
    Field::Industry,
    Field::Source,
    Field::Stage,
    Field::ContactName,
    Field::ContactTitle,
    Field::Phone,
    Field::Email,
    Field::PreferredChannel,
    Field::NeedCore,
    Field::NeedSecondary,
    Field::NeedTags,
    Field::NeedPriority,
    Field::Budget,
    Field::Grade,
];

/// Classifies a sheet by its mapped fields; `None` when no rule applies.
pub fn classify(fields: &HashSet<Field>) -> Option<TableKind> {
    let has = |f: Field| fields.contains(&f);
    if has(Field::ReportedAt) || has(Field::ComplaintType) || has(Field::Description) {
        return Some(TableKind::Complaints);
    }
    if has(Field::FollowupDate) {
        let customer_level = CUSTOMER_LEVEL.iter().filter(|f| has(**f)).count();
        return Some(if customer_level >= 3 {
            TableKind::Combined
        } else {
            TableKind::Followups
        });
    }
    if has(Field::OpportunityId) || has(Field::OpportunityName) {
        return Some(TableKind::Opportunities);
    }
    if has(Field::TargetAmount) && has(Field::TargetPeriod) {
        return Some(TableKind::Targets);
    }
    if has(Field::Owner) && (has(Field::Team) || has(Field::Manager)) && !has(Field::CustomerName) {
        return Some(TableKind::Roster);
    }
    if has(Field::CustomerName) || has(Field::CustomerId) {
        return Some(TableKind::Customers);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(fields: &[Field]) -> Option<TableKind> {
        classify(&fields.iter().copied().collect())
    }

    #[test]
    fn rules_in_order() {
        use Field::*;
        assert_eq!(
            kind(&[CustomerName, ReportedAt]),
            Some(TableKind::Complaints)
        );
        assert_eq!(
            kind(&[CustomerName, FollowupDate, Method]),
            Some(TableKind::Followups)
        );
        assert_eq!(
            kind(&[CustomerName, FollowupDate, Industry, Source, Grade]),
            Some(TableKind::Combined)
        );
        assert_eq!(
            kind(&[OpportunityName, Stage]),
            Some(TableKind::Opportunities)
        );
        assert_eq!(
            kind(&[Owner, TargetPeriod, TargetAmount]),
            Some(TableKind::Targets)
        );
        assert_eq!(kind(&[Owner, Team]), Some(TableKind::Roster));
        assert_eq!(
            kind(&[Owner, Team, CustomerName]),
            Some(TableKind::Customers)
        );
        assert_eq!(kind(&[CustomerId, Industry]), Some(TableKind::Customers));
        assert_eq!(kind(&[Industry, Source]), None);
    }
}
