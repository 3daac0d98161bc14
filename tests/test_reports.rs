//! The report files themselves, read back: the workbook with calamine (sheet
//! names and order, cells that must equal summary.json, every chart series
//! pointing at filled cells), both languages free of untranslated label
//! keys, `--by-owner` reviews with safe file names, and contacts and phones
//! masked unless `--no-mask`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};
use serde_json::Value;

use crate::workdir::Workdir;

/// The sheets of the Chinese workbook, in order.
const SHEETS_ZH: [&str; 16] = [
    "概览",
    "销售漏斗",
    "转化分析",
    "成交周期",
    "热门需求",
    "销售绩效",
    "跟进合规",
    "客户分级",
    "满意度与投诉",
    "预测与目标",
    "待办",
    "周活动",
    "月度趋势",
    "数据质量",
    "问题明细",
    "指标说明",
];

/// The same sheets in English.
const SHEETS_EN: [&str; 16] = [
    "Overview",
    "Funnel",
    "Conversion",
    "Sales cycle",
    "Top needs",
    "Reps",
    "Cadence",
    "Grades",
    "Satisfaction & complaints",
    "Forecast & targets",
    "To-dos",
    "Weekly activity",
    "Monthly",
    "Data quality",
    "Findings",
    "Definitions",
];

fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")
}

/// Runs the report on the bundled sample data into `out/`.
fn report_sample(wd: &Workdir, extra: &[&str]) -> Value {
    let input = sample_data();
    let mut args = vec!["report", input.to_str().unwrap(), "-o", "out", "--quiet"];
    args.extend_from_slice(extra);
    wd.run_ok(&args);
    wd.json("out/summary.json")
}

/// Every sheet of a workbook: name → its cells by (row, column).
type Cells = BTreeMap<(u32, u32), Data>;

fn read_workbook(path: &Path) -> Vec<(String, Cells)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open workbook");
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).expect("read sheet");
            let (r0, c0) = range.start().unwrap_or((0, 0));
            let cells = range
                .used_cells()
                .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), v.clone()))
                .collect();
            (name, cells)
        })
        .collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(n) => n.to_string(),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(x) => x.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

/// The cell right of the first cell whose text is `label`.
fn right_of<'a>(cells: &'a Cells, label: &str) -> &'a Data {
    let (&(r, c), _) = cells
        .iter()
        .find(|(_, v)| text(v) == label)
        .unwrap_or_else(|| panic!("no cell {label}"));
    cells.get(&(r, c + 1)).unwrap_or(&Data::Empty)
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(x) => *x,
        Data::Int(n) => *n as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// The XML of every chart part of an xlsx.
fn chart_parts(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if entry.name().is_ok_and(|n| n.starts_with("xl/charts/chart")) {
            let mut xml = String::new();
            entry.read_to_string(&mut xml).unwrap();
            out.push(xml);
        }
    }
    out
}

/// `'销售漏斗'!$C$6:$C$10` → (sheet, first (row, col), last (row, col)).
fn parse_ref(formula: &str) -> (String, (u32, u32), (u32, u32)) {
    let (sheet, cells) = formula.rsplit_once('!').expect("sheet!cells");
    let sheet = sheet
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .map_or(sheet.to_string(), |s| s.replace("''", "'"));
    let cell = |a1: &str| {
        let a1 = a1.replace('$', "");
        let split = a1.find(|c: char| c.is_ascii_digit()).unwrap();
        let col = a1[..split]
            .bytes()
            .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
            - 1;
        let row: u32 = a1[split..].parse().unwrap();
        (row - 1, col)
    };
    let (a, b) = cells.split_once(':').unwrap_or((cells, cells));
    (sheet, cell(a), cell(b))
}

fn unescape(s: &str) -> String {
    s.replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every chart's series names, categories and values point at cells that
/// hold something, on sheets that exist.
fn assert_charts_point_at_data(path: &Path) -> usize {
    let sheets: BTreeMap<String, Cells> = read_workbook(path).into_iter().collect();
    let mut refs = 0;
    for xml in chart_parts(path) {
        for piece in xml.split("<c:f>").skip(1) {
            let formula = unescape(piece.split("</c:f>").next().unwrap());
            let (sheet, (r1, c1), (r2, c2)) = parse_ref(&formula);
            let cells = sheets
                .get(&sheet)
                .unwrap_or_else(|| panic!("chart refers to a missing sheet: {formula}"));
            for r in r1..=r2 {
                for c in c1..=c2 {
                    let v = cells.get(&(r, c)).unwrap_or(&Data::Empty);
                    assert!(
                        !matches!(v, Data::Empty) && !text(v).is_empty(),
                        "{formula}: ({r}, {c}) is empty"
                    );
                }
            }
            refs += 1;
        }
    }
    refs
}

#[test]
fn workbook_sheets_cells_and_charts() {
    let wd = Workdir::new();
    let s = report_sample(&wd, &[]);
    let path = wd.join("out/report.xlsx");
    let book = read_workbook(&path);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, SHEETS_ZH);
    let sheet = |name: &str| &book.iter().find(|(n, _)| n == name).unwrap().1;
    // Overview: title, then figures equal to summary.json.
    let overview = sheet("概览");
    assert_eq!(text(&overview[&(0, 0)]), "概览");
    let win_rate = s["funnel"]["win_rate"].as_f64().unwrap();
    assert!((number(right_of(overview, "赢单率")) - win_rate).abs() < 1e-12);
    let won_amount = s["funnel"]["won_amount"].as_f64().unwrap();
    assert!((number(right_of(overview, "成交金额")) - won_amount).abs() < 1e-6);
    let weighted = s["forecast"]["weighted_amount"].as_f64().unwrap();
    assert!((number(right_of(overview, "加权管道金额")) - weighted).abs() < 1e-6);
    // Funnel: each stage's current and reached, as in the summary.
    let funnel = sheet("销售漏斗");
    for stage in s["funnel"]["stages"].as_array().unwrap() {
        let label = stage["label"].as_str().unwrap();
        let (&(r, c), _) = funnel.iter().find(|(_, v)| text(v) == label).unwrap();
        assert_eq!(
            number(&funnel[&(r, c + 1)]),
            stage["current"].as_f64().unwrap()
        );
        assert_eq!(
            number(&funnel[&(r, c + 2)]),
            stage["reached"].as_f64().unwrap()
        );
    }
    // Grades: declared and computed counts side by side.
    let grades = sheet("客户分级");
    let (&(r, c), _) = grades
        .iter()
        .find(|(_, v)| text(v) == "填报与计算等级")
        .unwrap();
    assert_eq!(text(&grades[&(r + 2, c)]), "A");
    let declared_a = s["grades"]["declared"]["A"].as_f64().unwrap();
    assert_eq!(number(&grades[&(r + 2, c + 1)]), declared_a);
    // Targets: the first target row's attainment.
    let forecast = sheet("预测与目标");
    let first = &s["targets"][0];
    let (&(r, c), _) = forecast
        .iter()
        .find(|(_, v)| text(v) == "目标达成")
        .unwrap();
    // Title, header, then the first row: period, name, level, target, achieved, attainment.
    assert_eq!(
        text(&forecast[&(r + 2, c)]),
        first["period"].as_str().unwrap()
    );
    let attainment = first["attainment"].as_f64().unwrap();
    assert!((number(&forecast[&(r + 2, c + 5)]) - attainment).abs() < 1e-12);
    // Every chart points at cells that hold data: names, categories, values.
    assert!(chart_parts(&path).len() >= 11);
    assert!(assert_charts_point_at_data(&path) > 20);
}

/// Texts that look like a label key (`col.won`, `chart.targets`…).
fn looks_like_key(s: &str) -> bool {
    let prefixes = [
        "col.",
        "table.",
        "section.",
        "chart.",
        "note.",
        "report.",
        "kpi.",
        "value.",
        "state.",
        "stage.",
        "severity.",
    ];
    prefixes.iter().any(|p| {
        s.strip_prefix(p).is_some_and(|rest| {
            !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    }) || has_placeholder(s)
}

/// The page without its `<style>` and `<script>` (code, not labels).
fn page_text(html: &str) -> String {
    let mut out = html.to_string();
    for (open, close) in [("<style>", "</style>"), ("<script>", "</script>")] {
        if let (Some(a), Some(b)) = (out.find(open), out.find(close)) {
            out.replace_range(a..b + close.len(), "");
        }
    }
    out
}

/// An unfilled `{name}` placeholder of a label.
fn has_placeholder(s: &str) -> bool {
    s.split('{').skip(1).any(|after| {
        after.split_once('}').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        })
    })
}

#[test]
fn zh_and_en_reports_have_no_untranslated_keys() {
    for (lang, sheets) in [("zh", SHEETS_ZH), ("en", SHEETS_EN)] {
        let wd = Workdir::new();
        report_sample(&wd, &["--lang", lang, "--by-owner"]);
        let book = read_workbook(&wd.join("out/report.xlsx"));
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, sheets);
        for (sheet, cells) in &book {
            for v in cells.values() {
                let t = text(v);
                assert!(!looks_like_key(&t), "{lang} {sheet}: untranslated {t}");
            }
        }
        let html = std::fs::read_to_string(wd.join("out/report.html")).unwrap();
        for piece in page_text(&html).split(['>', '<', '"']) {
            assert!(
                !looks_like_key(piece.trim()),
                "{lang} html: untranslated {piece}"
            );
        }
        for rep in std::fs::read_dir(wd.join("out/reps")).unwrap() {
            let path = rep.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                let page = std::fs::read_to_string(&path).unwrap();
                for piece in page_text(&page).split(['>', '<', '"']) {
                    assert!(
                        !looks_like_key(piece.trim()),
                        "{path:?}: untranslated {piece}"
                    );
                }
            }
        }
        if lang == "en" {
            assert!(!html.contains("销售漏斗") && html.contains("Forecast &amp; targets"));
        }
    }
}

#[test]
fn by_owner_writes_a_review_per_rep() {
    let wd = Workdir::new();
    let s = report_sample(&wd, &["--by-owner"]);
    let reps: Vec<&str> = s["reps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["owner"].as_str().unwrap())
        .filter(|o| *o != "未分配")
        .collect();
    assert!(reps.len() >= 5);
    let mut files: Vec<String> = std::fs::read_dir(wd.join("out/reps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = reps
        .iter()
        .flat_map(|r| [format!("{r}.html"), format!("{r}.xlsx")])
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    let rep = reps[0];
    let page = std::fs::read_to_string(wd.join(&format!("out/reps/{rep}.html"))).unwrap();
    assert!(page.contains(&format!("销售个人报告：{rep}")));
    assert!(page.contains("团队中位数"));
    let path = wd.join(&format!("out/reps/{rep}.xlsx"));
    let book = read_workbook(&path);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "概览",
            "销售漏斗",
            "跟进合规",
            "预测与目标",
            "待办",
            "周活动",
            "指标说明"
        ]
    );
    // The rep's won amount beside the team median.
    let overview = &book[0].1;
    let row = s["reps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["owner"] == rep)
        .unwrap();
    let won = row["won_amount"].as_f64().unwrap();
    assert!((number(right_of(overview, "成交金额")) - won).abs() < 1e-6);
    assert_charts_point_at_data(&path);
    // Without the flag there is no reps folder.
    let wd = Workdir::new();
    report_sample(&wd, &[]);
    assert!(!wd.join("out/reps").exists());
}

/// A customer list with hostile owner names, a full contact name and a
/// mobile number.
fn write_people(path: &Path) {
    let rows = [
        "客户名称,联系人,联系电话,负责销售,跟进状态,成交金额,签约日期,首次接触时间",
        "甲科技有限公司,张三丰,13812345678,../../evil,成交,100000,2024-03-10,2024-01-10",
        "乙制造有限公司,李四,13987654321,CON,方案沟通,,,2024-02-01",
        "丙贸易有限公司,王五,0571-88889999,a/b,线索,,,2024-03-01",
        "丁服务有限公司,赵六,13700001111,a\\b,线索,,,2024-03-05",
    ];
    std::fs::write(path, rows.join("\n")).unwrap();
}

#[test]
fn hostile_owner_names_make_safe_files() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    write_people(&wd.join("in/客户.csv"));
    wd.run_ok(&[
        "report",
        "in",
        "-o",
        "out",
        "--as-of",
        "2024-06-30",
        "--by-owner",
        "-q",
    ]);
    let mut files: Vec<String> = std::fs::read_dir(wd.join("out/reps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "CON_.html",
            "CON_.xlsx",
            "_._.._evil.html",
            "_._.._evil.xlsx",
            "a_b-2.html",
            "a_b-2.xlsx",
            "a_b.html",
            "a_b.xlsx",
        ]
    );
    // Nothing escaped the folder.
    assert!(!wd.join("evil.html").exists() && !wd.join("out/evil.html").exists());
}

/// Texts that rust_xlsxwriter would copy into sharedStrings.xml as its own
/// markup (`<r>…</r>`), in a mapped field, a finding's original value and
/// an unmapped header, and a name over Excel's cell limit in UTF-16 units
/// (20,000 emoji, 40,000 units, which rust_xlsxwriter refuses): both
/// workbooks are written, open, and show the texts as written (the long
/// one cut to the limit).
#[test]
fn markup_and_overlong_text_stay_text() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    let owner = "<r></si><si>y</r>";
    let email = "<r><t>x</t></r>";
    let header = "<r>备注</si></r>";
    let long = "😀".repeat(20_000);
    std::fs::write(
        wd.join("in/客户.csv"),
        format!("客户名称,负责销售,邮箱,{header}\n甲公司,{owner},{email},z\n乙公司,{long},,\n"),
    )
    .unwrap();
    wd.run_ok(&["report", "in", "-o", "out", "--as-of", "2024-06-30", "-q"]);
    let cut = "😀".repeat(16_383);
    let text = workbook_text(&wd.join("out/report.xlsx"));
    assert!(text.contains(owner), "owner missing: {text}");
    assert!(text.contains(email), "e-mail missing");
    assert!(
        text.contains(&format!("\n{cut}\n")),
        "the long name is not cut to the limit"
    );
    wd.run_ok(&["clean", "in", "-o", "out/c.xlsx"]);
    let text = workbook_text(&wd.join("out/c.xlsx"));
    for t in [owner, email, header] {
        assert!(text.contains(t), "{t} missing: {text}");
    }
    assert!(text.contains(&cut));
}

/// Every text of the workbook, joined.
fn workbook_text(path: &Path) -> String {
    read_workbook(path)
        .iter()
        .flat_map(|(_, cells)| cells.values().map(text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn contacts_and_phones_are_masked_unless_no_mask() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    write_people(&wd.join("in/客户.csv"));
    wd.run_ok(&["report", "in", "-o", "out", "--as-of", "2024-06-30", "-q"]);
    let html = std::fs::read_to_string(wd.join("out/report.html")).unwrap();
    let xlsx = workbook_text(&wd.join("out/report.xlsx"));
    for shown in [&html, &xlsx] {
        for raw in ["13812345678", "13987654321", "张三丰", "0571-88889999"] {
            assert!(!shown.contains(raw), "{raw} shown unmasked");
        }
        assert!(shown.contains("138****5678"));
        assert!(shown.contains("张**"));
        // Customer names are not masked.
        assert!(shown.contains("甲科技有限公司"));
    }
    wd.run_ok(&[
        "report",
        "in",
        "-o",
        "shown",
        "--as-of",
        "2024-06-30",
        "-q",
        "--no-mask",
    ]);
    let html = std::fs::read_to_string(wd.join("shown/report.html")).unwrap();
    let xlsx = workbook_text(&wd.join("shown/report.xlsx"));
    for shown in [&html, &xlsx] {
        assert!(shown.contains("13812345678") && shown.contains("张三丰"));
    }
}
