//! Conditional formats of the workbook, from each column's emphasis: data
//! bars (won amount per rep, keyword weights), a red–yellow–green scale
//! (conversion and win rates, attainment) and a white-to-blue scale over a
//! heatmap's block of columns (weekly activity). Alert columns (days
//! overdue) are red by their cell format. A scale needs two rows to compare.

use rust_xlsxwriter::{
    ConditionalFormat2ColorScale, ConditionalFormat3ColorScale, ConditionalFormatDataBar,
    Worksheet, XlsxError,
};

use super::Layout;
use crate::report::view::{Emphasis, Section};

/// The scale colours, the same as the HTML page's.
const LOW: u32 = 0xF8696B;
const MID: u32 = 0xFFEB84;
const HIGH: u32 = 0x63BE7B;
const HEAT_LOW: u32 = 0xFFFFFF;
const HEAT_HIGH: u32 = 0x2F6FB0;

/// Adds the conditional formats of every table of the section.
pub(super) fn add(
    sheet: &mut Worksheet,
    section: &Section,
    layout: &Layout,
) -> Result<(), XlsxError> {
    for table in &section.tables {
        let Some(p) = layout.tables.get(table.id).filter(|p| p.rows > 0) else {
            continue;
        };
        let (first, last) = (p.header + 1, p.header + p.rows);
        let mut j = 0;
        while j < table.columns.len() {
            let col = p.col + j as u16;
            match table.columns[j].emphasis {
                Emphasis::Bar => {
                    sheet.add_conditional_format(
                        first,
                        col,
                        last,
                        col,
                        &ConditionalFormatDataBar::new(),
                    )?;
                }
                Emphasis::RateScale if p.rows > 1 => {
                    let scale = ConditionalFormat3ColorScale::new()
                        .set_minimum_color(LOW)
                        .set_midpoint_color(MID)
                        .set_maximum_color(HIGH);
                    sheet.add_conditional_format(first, col, last, col, &scale)?;
                }
                Emphasis::HeatScale => {
                    // One scale over the whole block of heat columns.
                    let run = table.columns[j..]
                        .iter()
                        .take_while(|c| c.emphasis == Emphasis::HeatScale)
                        .count();
                    let scale = ConditionalFormat2ColorScale::new()
                        .set_minimum_color(HEAT_LOW)
                        .set_maximum_color(HEAT_HIGH);
                    let end = col + run as u16 - 1;
                    sheet.add_conditional_format(first, col, last, end, &scale)?;
                    j += run;
                    continue;
                }
                Emphasis::RateScale | Emphasis::Alert | Emphasis::None => {}
            }
            j += 1;
        }
    }
    Ok(())
}
