//! Word lists the generator draws from: reps, cities, company-name parts,
//! industries, sources, grades, stages, needs, contacts and follow-up texts.
//!
//! Only data lives here, no logic. Every string must be encodable in GBK
//! (the follow-up file is written in GBK); a test in `followups.rs` checks
//! the texts that go there. Weights are relative integers.

/// A sales rep: name, share of customers, win-rate factor, and how often
/// the rep leaves optional fields empty (0 = never).
#[derive(Debug, Clone, Copy)]
pub struct Rep {
    /// The rep's name as the team writes it.
    pub name: &'static str,
    /// Relative share of the customers owned.
    pub weight: u32,
    /// Multiplies the chance of a won deal.
    pub win_factor: f64,
    /// Extra chance of leaving an optional field empty.
    pub sloppiness: f64,
}

/// The sales team: seven reps with different performance.
pub const REPS: [Rep; 7] = [
    Rep {
        name: "王磊",
        weight: 18,
        win_factor: 1.35,
        sloppiness: 0.02,
    },
    Rep {
        name: "李娜",
        weight: 16,
        win_factor: 1.2,
        sloppiness: 0.04,
    },
    Rep {
        name: "张伟",
        weight: 15,
        win_factor: 1.0,
        sloppiness: 0.05,
    },
    Rep {
        name: "刘洋",
        weight: 14,
        win_factor: 1.0,
        sloppiness: 0.05,
    },
    Rep {
        name: "陈静",
        weight: 13,
        win_factor: 0.9,
        sloppiness: 0.03,
    },
    Rep {
        name: "赵敏",
        weight: 12,
        win_factor: 0.8,
        sloppiness: 0.07,
    },
    Rep {
        name: "孙浩",
        weight: 10,
        win_factor: 0.55,
        sloppiness: 0.16,
    },
];

/// A city: short name, province, telephone area code, pinyin (for domains).
#[derive(Debug, Clone, Copy)]
pub struct City {
    /// Short name as used in company names (`杭州`).
    pub name: &'static str,
    /// Full province name (`浙江省`; municipalities as `上海市`).
    pub province: &'static str,
    /// Landline area code with its leading zero.
    pub area_code: &'static str,
}

/// Cities customers are registered in. No company-name character below
/// starts one of these names (checked by a test), so a name with a city
/// prefix never equals one without.
pub const CITIES: [City; 30] = [
    City {
        name: "杭州",
        province: "浙江省",
        area_code: "0571",
    },
    City {
        name: "宁波",
        province: "浙江省",
        area_code: "0574",
    },
    City {
        name: "上海",
        province: "上海市",
        area_code: "021",
    },
    City {
        name: "北京",
        province: "北京市",
        area_code: "010",
    },
    City {
        name: "深圳",
        province: "广东省",
        area_code: "0755",
    },
    City {
        name: "广州",
        province: "广东省",
        area_code: "020",
    },
    City {
        name: "苏州",
        province: "江苏省",
        area_code: "0512",
    },
    City {
        name: "南京",
        province: "江苏省",
        area_code: "025",
    },
    City {
        name: "成都",
        province: "四川省",
        area_code: "028",
    },
    City {
        name: "武汉",
        province: "湖北省",
        area_code: "027",
    },
    City {
        name: "西安",
        province: "陕西省",
        area_code: "029",
    },
    City {
        name: "重庆",
        province: "重庆市",
        area_code: "023",
    },
    City {
        name: "天津",
        province: "天津市",
        area_code: "022",
    },
    City {
        name: "青岛",
        province: "山东省",
        area_code: "0532",
    },
    City {
        name: "济南",
        province: "山东省",
        area_code: "0531",
    },
    City {
        name: "厦门",
        province: "福建省",
        area_code: "0592",
    },
    City {
        name: "福州",
        province: "福建省",
        area_code: "0591",
    },
    City {
        name: "长沙",
        province: "湖南省",
        area_code: "0731",
    },
    City {
        name: "合肥",
        province: "安徽省",
        area_code: "0551",
    },
    City {
        name: "郑州",
        province: "河南省",
        area_code: "0371",
    },
    City {
        name: "无锡",
        province: "江苏省",
        area_code: "0510",
    },
    City {
        name: "东莞",
        province: "广东省",
        area_code: "0769",
    },
    City {
        name: "佛山",
        province: "广东省",
        area_code: "0757",
    },
    City {
        name: "温州",
        province: "浙江省",
        area_code: "0577",
    },
    City {
        name: "大连",
        province: "辽宁省",
        area_code: "0411",
    },
    City {
        name: "沈阳",
        province: "辽宁省",
        area_code: "024",
    },
    City {
        name: "昆明",
        province: "云南省",
        area_code: "0871",
    },
    City {
        name: "南昌",
        province: "江西省",
        area_code: "0791",
    },
    City {
        name: "贵阳",
        province: "贵州省",
        area_code: "0851",
    },
    City {
        name: "石家庄",
        province: "河北省",
        area_code: "0311",
    },
];

/// Characters of a company's trade name (字号), with pinyin for its mail
/// domain. Two of them make a trade name.
pub const ZIHAO: [(&str, &str); 100] = [
    ("华", "hua"),
    ("信", "xin"),
    ("恒", "heng"),
    ("瑞", "rui"),
    ("通", "tong"),
    ("鑫", "xin"),
    ("泰", "tai"),
    ("博", "bo"),
    ("诚", "cheng"),
    ("联", "lian"),
    ("创", "chuang"),
    ("益", "yi"),
    ("嘉", "jia"),
    ("盛", "sheng"),
    ("腾", "teng"),
    ("宏", "hong"),
    ("远", "yuan"),
    ("安", "an"),
    ("康", "kang"),
    ("美", "mei"),
    ("新", "xin"),
    ("科", "ke"),
    ("汇", "hui"),
    ("中", "zhong"),
    ("正", "zheng"),
    ("德", "de"),
    ("润", "run"),
    ("丰", "feng"),
    ("隆", "long"),
    ("兴", "xing"),
    ("昌", "chang"),
    ("晨", "chen"),
    ("光", "guang"),
    ("明", "ming"),
    ("辉", "hui"),
    ("海", "hai"),
    ("鼎", "ding"),
    ("立", "li"),
    ("峰", "feng"),
    ("伟", "wei"),
    ("凯", "kai"),
    ("骏", "jun"),
    ("锦", "jin"),
    ("金", "jin"),
    ("银", "yin"),
    ("宝", "bao"),
    ("云", "yun"),
    ("星", "xing"),
    ("月", "yue"),
    ("阳", "yang"),
    ("蓝", "lan"),
    ("绿", "lv"),
    ("禾", "he"),
    ("森", "sen"),
    ("林", "lin"),
    ("源", "yuan"),
    ("泉", "quan"),
    ("川", "chuan"),
    ("易", "yi"),
    ("晶", "jing"),
    ("智", "zhi"),
    ("慧", "hui"),
    ("思", "si"),
    ("维", "wei"),
    ("力", "li"),
    ("众", "zhong"),
    ("捷", "jie"),
    ("迅", "xun"),
    ("航", "hang"),
    ("宇", "yu"),
    ("铭", "ming"),
    ("卓", "zhuo"),
    ("越", "yue"),
    ("精", "jing"),
    ("英", "ying"),
    ("微", "wei"),
    ("数", "shu"),
    ("睿", "rui"),
    ("拓", "tuo"),
    ("展", "zhan"),
    ("融", "rong"),
    ("和", "he"),
    ("亿", "yi"),
    ("万", "wan"),
    ("百", "bai"),
    ("千", "qian"),
    ("永", "yong"),
    ("久", "jiu"),
    ("吉", "ji"),
    ("祥", "xiang"),
    ("旭", "xu"),
    ("朗", "lang"),
    ("坤", "kun"),
    ("乾", "qian"),
    ("元", "yuan"),
    ("亨", "heng"),
    ("利", "li"),
    ("图", "tu"),
    ("格", "ge"),
    ("致", "zhi"),
];

/// Optional third trade-name character (gives three-character names).
pub const ZIHAO_THIRD: [(&str, &str); 20] = [
    ("达", "da"),
    ("源", "yuan"),
    ("通", "tong"),
    ("兴", "xing"),
    ("泰", "tai"),
    ("盛", "sheng"),
    ("丰", "feng"),
    ("隆", "long"),
    ("昌", "chang"),
    ("祥", "xiang"),
    ("宏", "hong"),
    ("远", "yuan"),
    ("嘉", "jia"),
    ("和", "he"),
    ("诚", "cheng"),
    ("安", "an"),
    ("康", "kang"),
    ("利", "li"),
    ("发", "fa"),
    ("邦", "bang"),
];

/// An industry family: how the 所属行业 cell is written, the words its
/// company names use (all distinct across families), whether a `科技` may
/// follow the word, and the family's share of customers.
#[derive(Debug, Clone, Copy)]
pub struct Industry {
    /// Values of the 所属行业 cell, weighted.
    pub labels: &'static [(&'static str, u32)],
    /// Business words of company names (`网络`, `机械`...).
    pub words: [&'static str; 4],
    /// Whether `科技` may follow the word in a name.
    pub tech: bool,
    /// Relative share of customers.
    pub weight: u32,
}

/// The industry families. The last one holds values no classification maps.
pub const INDUSTRIES: [Industry; 10] = [
    Industry {
        labels: &[
            ("软件和信息技术服务业", 30),
            ("软件", 20),
            ("互联网", 20),
            ("信息技术", 8),
            ("IT", 5),
            ("互联网和相关服务", 7),
            ("软件开发", 5),
        ],
        words: ["网络", "信息", "软件", "数据"],
        tech: true,
        weight: 28,
    },
    Industry {
        labels: &[
            ("制造业", 35),
            ("汽车制造业", 25),
            ("通用设备制造业", 10),
            ("电气机械和器材制造业", 10),
            ("机械制造", 10),
            ("汽车", 5),
        ],
        words: ["机械", "精密", "电气", "汽车部件"],
        tech: true,
        weight: 20,
    },
    Industry {
        labels: &[("化学原料和化学制品制造业", 60), ("化工", 40)],
        words: ["化工", "新材料", "涂料", "化学"],
        tech: true,
        weight: 5,
    },
    Industry {
        labels: &[
            ("医疗", 50),
            ("医药制造业", 20),
            ("卫生", 15),
            ("医疗器械", 15),
        ],
        words: ["医疗器械", "生物", "医药", "健康"],
        tech: true,
        weight: 10,
    },
    Industry {
        labels: &[("教育", 80), ("培训", 20)],
        words: ["教育", "培训", "文教", "书院"],
        tech: true,
        weight: 8,
    },
    Industry {
        labels: &[("零售", 50), ("批发和零售业", 30), ("零售业", 20)],
        words: ["商贸", "贸易", "百货", "超市"],
        tech: false,
        weight: 10,
    },
    Industry {
        labels: &[("金融", 60), ("货币金融服务", 20), ("保险业", 20)],
        words: ["投资", "金融服务", "资产管理", "保险代理"],
        tech: false,
        weight: 7,
    },
    Industry {
        labels: &[("房地产", 70), ("房地产业", 30)],
        words: ["置业", "地产", "物业", "房产"],
        tech: false,
        weight: 4,
    },
    Industry {
        labels: &[("物流", 60), ("交通运输、仓储和邮政业", 25), ("仓储", 15)],
        words: ["物流", "供应链", "运输", "仓储"],
        tech: true,
        weight: 6,
    },
    Industry {
        labels: &[("新经济", 50), ("其它行业", 50)],
        words: ["实业", "控股", "发展", "创新"],
        tech: true,
        weight: 2,
    },
];

/// Legal-form suffixes of company names, weighted.
pub const LEGAL_FORMS: [(&str, u32); 4] = [
    ("有限公司", 60),
    ("股份有限公司", 18),
    ("有限责任公司", 14),
    ("集团有限公司", 8),
];

/// Lead sources as written: value, weight, win-rate factor. Includes
/// synonyms (老客户介绍, 官网, 抖音) and one outside the list (朋友圈广告).
pub const SOURCES: [(&str, u32, f64); 12] = [
    ("展会", 15, 1.0),
    ("转介绍", 15, 1.6),
    ("线上咨询", 18, 0.9),
    ("陌拜", 10, 0.5),
    ("合作伙伴", 10, 1.3),
    ("社交媒体", 8, 0.7),
    ("行业网站", 8, 0.8),
    ("老客户介绍", 5, 1.6),
    ("官网", 5, 0.9),
    ("抖音", 3, 0.6),
    ("朋友圈广告", 1, 0.6),
    ("", 2, 1.0),
];

/// Ways an A-grade is written.
pub const GRADE_A: [(&str, u32); 6] = [
    ("A", 40),
    ("A类", 20),
    ("A级", 10),
    ("高意向", 10),
    ("A类-高意向", 5),
    ("战略客户", 5),
];
/// Ways a B-grade is written.
pub const GRADE_B: [(&str, u32); 5] = [
    ("B", 40),
    ("B类", 20),
    ("B级", 15),
    ("重点客户", 10),
    ("中等意向", 10),
];
/// Ways a C-grade is written.
pub const GRADE_C: [(&str, u32); 5] = [
    ("C", 40),
    ("C类", 20),
    ("C类-低意向", 15),
    ("低意向", 10),
    ("潜力客户", 10),
];

/// Labels of stage lead, as written.
pub const STAGE_LEAD: [(&str, u32); 5] = [
    ("线索", 30),
    ("潜在客户", 30),
    ("初次接洽", 15),
    ("新线索", 10),
    ("待跟进", 15),
];
/// Labels of stage qualify.
pub const STAGE_QUALIFY: [(&str, u32); 5] = [
    ("需求分析", 25),
    ("需求分析中", 30),
    ("需求调研", 15),
    ("意向客户", 20),
    ("需求确认", 10),
];
/// Labels of stage proposal.
pub const STAGE_PROPOSAL: [(&str, u32); 5] = [
    ("方案沟通", 25),
    ("方案提交-待反馈", 30),
    ("方案提交", 15),
    ("报价", 15),
    ("方案沟通中", 15),
];
/// Labels of stage negotiation.
pub const STAGE_NEGOTIATION: [(&str, u32); 4] = [
    ("商务谈判", 50),
    ("谈判", 15),
    ("合同审批", 20),
    ("商务谈判中", 15),
];
/// Labels of stage won.
pub const STAGE_WON: [(&str, u32); 5] = [
    ("已成交", 35),
    ("成交", 20),
    ("成交-维护中", 25),
    ("已签约", 10),
    ("维护中", 10),
];
/// Labels of stage lost.
pub const STAGE_LOST: [(&str, u32); 4] = [("丢单", 40), ("流失", 25), ("输单", 15), ("已流失", 20)];
/// Colloquial stages that map to no canonical stage.
pub const STAGE_NONSTANDARD: [&str; 2] = ["在跟进", "快成了"];

/// Need phrases with a skewed weight, so a top 10 means something.
pub const NEEDS: [(&str, u32); 22] = [
    ("CRM系统", 100),
    ("客户管理", 80),
    ("数据分析", 70),
    ("报表可视化", 60),
    ("流程自动化", 50),
    ("移动办公", 42),
    ("系统集成", 36),
    ("降本增效", 32),
    ("私有化部署", 28),
    ("营销自动化", 24),
    ("安全合规", 20),
    ("供应链协同", 17),
    ("销售预测", 15),
    ("权限管理", 12),
    ("工单管理", 10),
    ("合同管理", 9),
    ("知识库", 7),
    ("呼叫中心", 6),
    ("电子签章", 5),
    ("多语言支持", 4),
    ("AI助手", 3),
    ("国产化适配", 3),
];

/// Separators people put between need phrases.
pub const NEED_SEPARATORS: [(&str, u32); 5] =
    [("、", 50), ("，", 25), (";", 12), ("；", 8), ("/", 5)];

/// Common surnames of contacts.
pub const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗",
];
/// Given names for unmasked contacts.
pub const GIVEN_NAMES: [&str; 20] = [
    "建国", "国强", "秀英", "丽", "军", "勇", "敏", "静", "晓明", "洋", "婷", "志强", "海燕", "文",
    "华", "涛", "飞", "霞", "建华", "磊",
];
/// Honorifics written after a surname (`刘经理`).
pub const HONORIFICS: [&str; 6] = ["经理", "总", "主任", "先生", "女士", "老师"];
/// Contact job titles.
pub const JOB_TITLES: [(&str, u32); 13] = [
    ("总经理", 12),
    ("副总经理", 8),
    ("IT经理", 14),
    ("信息部主任", 10),
    ("采购经理", 12),
    ("财务总监", 6),
    ("CTO", 6),
    ("运营总监", 8),
    ("销售总监", 8),
    ("行政主管", 5),
    ("董事长助理", 3),
    ("技术负责人", 6),
    ("信息化专员", 4),
];
/// Pinyin of surnames, for mail local parts.
pub const SURNAME_PINYIN: [&str; 10] = [
    "wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu",
];
/// Role mailboxes at a company domain.
pub const ROLE_MAILBOXES: [&str; 6] = ["sales", "info", "it", "admin", "purchase", "service"];
/// Personal mail providers.
pub const PERSONAL_MAIL: [&str; 6] = [
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "foxmail.com",
    "gmail.com",
];
/// Malformed e-mail addresses.
pub const BAD_EMAILS: [&str; 4] = ["abc@", "wang#163.com", "li@@huaxin.com", "邮箱待补"];

/// Company size as written in 员工数 (besides plain numbers).
pub const EMPLOYEE_FORMS: [&str; 7] = [
    "20人以下",
    "50-100人",
    "100-499人",
    "500人以上",
    "约200人",
    "1000+",
    "300-500",
];

/// Free-text remarks (the unmapped 备注 column).
pub const REMARKS: [&str; 12] = [
    "老板很重视",
    "需再约演示",
    "年底有预算",
    "竞品：销售易",
    "客户要求私有化部署",
    "决策链较长",
    "价格敏感",
    "已发合同待盖章",
    "节后再联系",
    "对接人离职需重新建联",
    "集团统一采购",
    "需要走招标流程",
];

/// Follow-up methods, weighted.
pub const METHODS: [(&str, u32); 9] = [
    ("电话", 30),
    ("微信", 25),
    ("拜访", 8),
    ("上门拜访", 10),
    ("邮件", 10),
    ("腾讯会议", 10),
    ("视频会议", 4),
    ("短信", 2),
    ("展会", 1),
];

/// Customer reactions recorded after a contact.
pub const FEEDBACK: [&str; 12] = [
    "有兴趣",
    "考虑中",
    "价格偏高",
    "需要内部讨论",
    "认可方案",
    "暂无明确需求",
    "要求降价",
    "已确认采购意向",
    "未接通",
    "对演示满意",
    "担心数据安全",
    "等待领导审批",
];

/// Summaries by stage order (1 lead … 4 negotiation, 5 won, 6 lost);
/// `{need}` is replaced by one of the customer's needs.
pub const SUMMARIES: [&[&str]; 6] = [
    &[
        "初次接触，介绍公司产品",
        "电话沟通{need}需求，约下周详谈",
        "展会留资回访，客户有{need}需求",
    ],
    &[
        "上门拜访，了解{need}现状",
        "需求调研：{need}",
        "与IT部门沟通{need}细节",
    ],
    &[
        "发送{need}方案资料",
        "演示{need}功能，客户关注价格",
        "提交方案，讨论实施周期",
    ],
    &[
        "确认报价及付款方式",
        "合同条款沟通",
        "商务谈判，客户要求优惠",
    ],
    &[
        "签约完成，安排实施",
        "回访使用情况，客户反馈良好",
        "客户提出{need}扩展需求",
    ],
    &["客户选择竞品", "预算取消，项目暂停", "客户表示暂不考虑"],
];

/// Next actions of a to-do by stage order, as [`SUMMARIES`]; `{need}`
/// is replaced by one of the customer's needs.
pub const NEXT_ACTIONS: [&[&str]; 6] = [
    &["安排产品演示", "发送案例资料", "约技术交流", "邀请参加展会"],
    &[
        "提交{need}方案",
        "约技术交流",
        "安排产品演示",
        "确认采购流程",
    ],
    &["发送报价单", "提交{need}方案", "约技术交流", "确认采购流程"],
    &["跟进合同审批", "发送报价单", "确认采购流程"],
    &["催款", "回访使用情况", "安排实施培训", "邀请参加客户大会"],
    &["三个月后回访", "发送新版本介绍"],
];
