//! How each subject is written, in Chinese and English (normalised text: lower case,
//! simplified characters, numerals as digits, no spaces between Chinese characters).

use std::sync::LazyLock;

use regex::Regex;

use super::Subject;

/// One way of writing a subject. `requires`: the clause must also say this (e.g. a past
/// marker for 验收报告, which is lawful for this contract's own acceptance); `veto`: the clause
/// is about something lawful when it says this (e.g. a project team, not the firm's headcount).
pub struct Pattern {
    pub subject: Subject,
    pub re: Regex,
    pub requires: Option<Regex>,
    pub veto: Option<Regex>,
}

/// Staff of the project, not the firm: their experience and numbers are capability.
const STAFF: &str = r"工程师|项目经理|项目负责人|负责人|技术人员|技术员|专家|团队成员|项目团队|服务团队|项目组|驻场|派驻|配备|安排|投入|人员须|人员应|人员具有|持证|engineers?|managers?|project lead|team lead|team members?|project team|the team|staff (?:assigned|deployed|dedicated)|assigned|dedicated|on[- ]site|personnel|technicians?|specialists?|experts?|consultants?|certified|qualified";

/// After the award: a service point set up by the winner is a delivery commitment.
const AFTER_AWARD: &str = r"中标后|成交后|合同签订后|签订合同后|中标人|成交供应商|中标供应商|after (?:the )?(?:award|contract)|upon (?:award|signing)|successful (?:bidder|tenderer|supplier)|winning (?:bidder|tenderer|supplier)|within \d+ (?:days|weeks|months) of (?:the )?(?:award|contract)";

/// A past marker or a count of clients ("三家用户出具的履约评价").
const PAST_OR_COUNT: &str = r"既往|近\d+年|最近\d+年|过去|以往|过往|历史|曾|已完成|已经|类似|同类|以前|之前|至少|不少于|\d+(?:家|个|份|项)(?:以上)?(?:用户|客户|单位|合同|项目|业主|采购人)|past|previous|prior|last \d+ years|recent|similar|comparable|completed|at least|\b\d+ (?:clients|customers|users|references|buyers)\b";

/// Words that place a record in the past.
const PAST: &str = r"既往|近\d+年|最近\d+年|过去|以往|过往|历史|曾|已完成|已经|类似|同类|以前|之前|past|previous|prior|last \d+ years|last (?:three|five|two|ten) years|recent|similar|comparable|completed";

/// Numbers written in English words.
const NUM: &str = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|one hundred|two hundred|three hundred|five hundred|thousand|a thousand";

fn re(pattern: &str) -> Regex {
    let pattern = pattern.replace("NUM", NUM);
    // The patterns are constants: a failure here is a programming error caught by every test.
    Regex::new(&pattern).expect("barrier pattern compiles")
}

pub(super) fn p(subject: Subject, pattern: &str) -> Pattern {
    Pattern {
        subject,
        re: re(pattern),
        requires: None,
        veto: None,
    }
}

pub(super) fn with(mut pattern: Pattern, requires: Option<&str>, veto: Option<&str>) -> Pattern {
    pattern.requires = requires.map(re);
    pattern.veto = veto.map(re);
    pattern
}

/// Every pattern, in the order a clause is searched: the more specific subjects first.
pub static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    use Subject::*;
    vec![
        // R-SME-04: proof of SME status beyond the declaration letter.
        p(
            SmeProof,
            r"(?:中小企业|小微企业|中小微企业|小型企业|微型企业|中型企业|小企业|企业规模|企业类型|企业划型|规模类型)[^。；;]{0,24}?(?:证明|认定|证书|审计|财务报表|报表|核实|核验|核定|鉴定|鉴证|公证|划型|登记|批准|出具|确认|备案|审核|审查|核准|(?:部门|机关|机构|主管|局)[^，,。；]{0,6}?(?:盖章|签章))|(?:证明|认定书|认定证明|证书|审计报告|财务报表|划型)[^。；;]{0,24}?(?:中小企业|小微企业|中小微企业|小型企业|微型企业|企业规模|企业类型|企业划型)|\b(?:smes?|small (?:and|or|&) medium[- ]sized?(?: enterprises?| businesses?| firms?)?|small businesses?|small enterprises?|micro[- ](?:enterprises?|businesses?)|enterprise size|company size|size class|firm size|sme status)\b[^.;]{0,48}?\b(?:proof|prove|proving|evidence|evidencing|certificates?|certification|certified|certify|verify|verified|verification|audited|financial statements|accounts|attest|attested|registration)\b|\b(?:proof|prove|proving|evidence|evidencing|certificates?|certification|certify|verify|verification|audited|financial statements)\b[^.;]{0,48}?\b(?:smes?|sme status|small (?:and|or|&) medium|small business|small enterprise|micro[- ]enterprise|enterprise size|company size|size class|firm size)\b",
        ),
        // R-BAR-01: firm size.
        p(
            Capital,
            r"注册资本|注册资金|资本额|资本总额|实缴资本|实缴资金|实收资本|认缴资本|认缴出资|出资额|资本金|注资|\b(?:registered|paid[- ]?in|paid[- ]?up|share|subscribed|issued|equity|contributed) capital\b|\bcapitali[sz]ation\b|\bcapital (?:of|base|requirement|amount|not less|no less|at least|above|over|exceeding)\b",
        ),
        p(
            Assets,
            r"资产总额|总资产|净资产|资产规模|固定资产(?:原值|净值|总额|规模|不|须|应|总|达|在|需|要|\d)|资产负债率|资产净值|\b(?:total|net|fixed|gross) assets\b|\bassets? (?:of|worth|value|base|totall?ing|exceeding|not less|no less|at least|above|over)\b|\bnet worth\b|\basset base\b|\bbalance sheet total\b",
        ),
        p(
            Revenue,
            r"营业收入|营业总收入|营业额|营收|年收入|主营业务收入|主营收入|业务收入|销售收入|销售额|年销售|销售总额|年产值|产值|经营规模|合同额总计|年合同额|\brevenues?\b|\bturn ?over\b|\b(?:annual|gross|total|yearly) sales\b|\bsales (?:revenue|volume|turnover|income|of|exceeding|above|over|not less|no less|at least|figures?)\b|\b(?:annual|yearly|operating|business) income\b|\bincome of\b|\b(?:annual|yearly|total) billings?\b|\bbillings? (?:of|above|exceeding|over)\b",
        ),
        p(
            Profit,
            r"(?:无|没有|未|不存在|均无|未发生)?亏损|净利|税后利润|税前利润|净利润|利润总额|年利润|年度利润|利润额|利润率|实现利润|盈利|利润(?:须|应|不低于|不少于|达到|超过|为正|≥|>)|\b(?:net|annual|yearly|pre[- ]tax|after[- ]tax|operating|gross) (?:profits?|income|earnings)\b|\bprofits? (?:of|above|over|exceeding|at least|not less|no less|for|in each|every)\b|\bprofitab(?:le|ility)\b|\b(?:recorded|made|posted|reported|had|incurred|suffered|no) (?:a |any )?(?:net )?loss(?:es)?\b|\bloss[- ]making\b|\bearnings (?:of|above|over)\b",
        ),
        p(
            Tax,
            r"纳税额|纳税总额|年纳税|纳税金额|纳税规模|缴税额|缴税总额|税收贡献|财政贡献|纳税大户|纳税(?:不低于|不少于|超过|达到|满|\d)|缴纳(?:税款|税收|税金)(?:总额|金额)?(?:不低于|不少于|超过|达到|\d)|\btax(?:es)? (?:paid|payments?|contributions?|of|above|over|exceeding|at least|not less|no less|totall?ing)\b|\bpaid (?:at least|over|more than|no less than|not less than)?[^.;]{0,24}\btax(?:es)?\b|\bamount of tax\b|\b(?:fiscal|tax) contributions?\b|\b(?:vat|value[- ]added tax|income tax|corporate (?:income )?tax|business tax)(?:es)? (?:paid|payments?|contributions?|of)\b|\btaxpayer (?:of|with|paying)\b",
        ),
        with(
            p(
                Tax,
                r"缴纳[^，,。；]{0,6}?税|\b(?:income|corporate|value[- ]added|vat|business|enterprise) tax(?:es)?\b|\bpa(?:y|ys|ying|id)\b[^.;]{0,32}?\btax(?:es)?\b",
            ),
            Some(
                r"每满|不低于|不少于|达到|超过|以上|\d+(?:万|元|亿)|得\d*分|加\d*分|\b(?:less than|more than|at least|minimum|exceed\w*|over|above|under)\b|\d{1,3}(?:,\d{3})+|\d+ ?(?:million|thousand|m|k)\b",
            ),
            None,
        ),
        with(
            p(
                Headcount,
                r"(?:员工|职工|从业人员|在职人员|在册人员|正式员工|在职员工|在职职工|全职员工|合同制员工|企业人员|公司人员|社保缴纳人员|参保人员)(?:总数|人数|数量|规模|总人数)|人员规模|企业规模人数|社保人数|参保人数|劳保人数|投保人数|社会保险人数|缴纳社保的?人数|缴纳社会保险的?人数|缴纳(?:社保|社会保险|养老保险)[^，,。；]{0,12}?\d+(?:名|人)|(?:员工|职工|从业人员|在职人员|在册人员|正式员工)[^，,。；]{0,8}?\d+(?:名|人)|\d+(?:名|人)(?:以上|及以上)?的?(?:正式|在职|在册|全职|合同制)?(?:员工|职工|从业人员)|\bheadcount\b|\bworkforce\b|\bsocial (?:insurance|security) (?:contributors?|enrolment|enrollment|records? for|for \d+|payments? for)\b|\b(?:number|count) of (?:employees|staff|workers|personnel)\b|\b(?:employee|staff|personnel) (?:count|numbers?|size|headcount|strength)\b|\bemploy(?:s|ing)? (?:at least|over|more than|no fewer than|not fewer than|a minimum of)?\s?\d+\b|\b(?:\d+|NUM)\+? (?:full[- ]time |permanent |registered |salaried )?(?:employees|staff members|workers)\b|\b(?:employees|workers) (?:of|numbering|totall?ing|exceeding|above|over)\b|\b(?:total|full[- ]time|permanent) (?:employees|staff|workforce)\b",
            ),
            None,
            Some(
                r"配备|派驻|驻场|安排|投入|项目组|项目团队|本项目|服务团队|技术人员|工程师|\bteam\b|\bproject\b|on[- ]site|\bassigned\b|\bdedicated\b|\bdeploy|engineers?|technicians?|certified|qualified",
            ),
        ),
        // R-BAR-02: years in operation.
        with(
            p(
                YearsInOperation,
                r"(?:成立|注册|设立|开业|营业|经营|存续|创立|创办|组建|登记)(?:时间|日期|年限|期限|年数|年资)|(?:成立|注册|设立|开业|营业|经营|存续|创立|创办|登记)(?:已|须|应|需|要|时间)?(?:满|超过|不少于|不低于|不足|不满|未满|未达|尚未满|达到|在|至今)?\d+(?:个)?(?:周)?年|(?:成立|注册|设立|登记)(?:于|在)\d{4}年?(?:\d+月)?(?:\d+日)?(?:之前|以前|前)|(?:成立|注册|设立|开业|经营)(?:满|以来)|(?:于|在)\d{4}年[^，,。；]{0,8}?(?:之前|以前|前)[^，,。；]{0,4}?(?:注册|成立|设立)|经营历史|经营年份|企业年龄|公司年龄|企业年限|公司年限|(?:企业|公司|供应商|投标人|单位)[^，,。；]{0,10}?\d+年以上的?(?:相关|行业|从业|经营|同类|类似)?(?:经验|经历|历史)|\byears? (?:in|of) (?:operation|operations|business|existence|trading|incorporation)\b|\bin (?:business|operation|existence) (?:for|since|at least|over|more than|no less|not less)\b|\b(?:established|founded|incorporated|registered|set up|formed|operating|trading) (?:after|on or after|later than|in or after|for|at least|more than|over|before|prior to|no later than|in or before|since|less than|fewer than|under|within (?:the )?(?:last|past)|\d+ years? ago)\b|\boperating (?:history|record)\b|\btrading (?:history|record)\b|\b(?:company|firm|business|supplier|bidder) age\b|\bage of the (?:company|firm|bidder|supplier|business|enterprise)\b|\bbeen (?:operating|trading|in business|in operation|established|registered|incorporated)\b|\b(?:at least|more than|over) \d+ years? old\b|\b(?:in|on) the (?:market|industry|sector|field|business) for (?:at least |more than |over |no less than |not less than )?(?:a|\d+|NUM) (?:decades?|years?)\b|\bexperience as an? (?:company|firm|business|supplier|enterprise|organi[sz]ation)\b|\b\d+ years? of (?:operation|operations|business|trading|existence)\b|\b(?:company|companies|firm|firms|bidder|bidders|supplier|suppliers|tenderer|tenderers|vendor|vendors|contractor|contractors|enterprise|enterprises)\b[^.;]{0,48}?\b(?:\d+|NUM)\+? years?(?:'|’)? (?:of )?(?:relevant |industry |business |sector )?(?:experience|history)\b",
            ),
            None,
            Some(STAFF),
        ),
        // R-BAR-02: work for a region or level of government, local registration.
        with(
            p(
                Region,
                r"(?:列入|纳入|进入|入选|入围)[^，,。；]{0,14}?(?:名录|名单|供应商库|预选库)|\b(?:approved|pre[- ]?qualified|preferred|registered) (?:suppliers?|vendors?|contractors?) (?:list|lists|roster|panel|register)\b|\blist of (?:approved|pre[- ]?qualified|preferred) (?:suppliers?|vendors?)\b|\b(?:previously )?(?:supplied|served|worked for|delivered to) (?:the |a |any )?(?:ministry|ministries|government|municipal|provincial|bureau|department|state|city|county)\b|本地企业|本市企业|本省企业|本区企业|本县企业|当地企业|省内企业|市内企业|区内企业|县内企业|本地注册|本市注册|本省注册|本区注册|本地供应商|本市供应商|本省供应商|当地供应商|在本[省市区县地](?:注册|登记|设立|设有|有|拥有)|注册地|(?:在|于)(?:本|当地)[^，,。；]{0,4}?(?:注册|登记|设立|设有|有|拥有)|(?:在|于)[^，,。；]{1,8}?(?:省|市|区|县)(?:内|范围内)?[^，,。；]{0,4}?(?:注册|登记|设立|设有|有固定|拥有)|(?:省|市|区|县|地)(?:内|外)?(?:注册|登记)的?(?:企业|公司|供应商)|本地(?:化)?(?:业绩|项目|案例|经验|服务经验)|\blocal(?:ly)? (?:companies|company|firms?|suppliers?|enterprises?|businesses?|registration|registered|based|incorporated|presence|office|branch)\b|\b(?:registered|based|headquartered|domiciled|incorporated|located|established) (?:in|within) (?:the |this |our )?(?:[a-z]+ ){0,3}(?:city|province|county|district|region|municipality|prefecture|autonomous region)\b|\b(?:branch|office|presence) (?:in|within) (?:the|this|our) (?:city|province|county|district|region|municipality)\b",
            ),
            None,
            Some(AFTER_AWARD),
        ),
        with(
            p(
                Region,
                r"(?:省|市|区|县|国家|中央|部|地市|地|市县|副省|部会|省部)级(?:及|或)?(?:以上)?的?(?:政府|机关|单位|部门|行政|事业|国家机关|财政|医院|学校|客户|用户)|(?:政府|机关|国家机关|行政机关|事业单位|财政部门)(?:部门|单位)?的?(?:业绩|项目|案例|合同|客户|用户|经验)|(?:为|服务过|服务于)[^，,。；]{0,8}?(?:政府|机关|部门)|\b(?:provincial|municipal|county|city|district|central|national|state|ministry|ministerial|prefectural|local)[- ]?(?:level )?(?:governments?|authorities|agencies|departments|bodies|clients|customers|level)\b|\bgovernment (?:agencies|departments|bodies|clients|customers|projects|contracts|entities|sector|work|experience|references)\b|\bpublic[- ]sector (?:clients|customers|projects|contracts|experience|work|references)\b|\b(?:this|the same|our) (?:city|province|county|region|district)\b",
            ),
            Some(
                r"业绩|项目|案例|合同|经验|服务过|服务于|客户|用户|供货|\bexperience\b|\bprojects?\b|\bcontracts?\b|\bwork(?:ed)?\b|\bserved\b|\bserving\b|\bclients?\b|\bcustomers?\b|\breferences?\b|\bdelivered\b|\bcompleted\b",
            ),
            Some(AFTER_AWARD),
        ),
        // R-BAR-02: manufacturer authorisation (lawful for imported goods, also when the
        // clause itself limits it to them: "如为进口产品，须提供制造商授权").
        with(
            p(
                ManufacturerAuthorisation,
                r"制造商授权|制造厂授权|厂家授权|原厂授权|厂商授权|生产厂家授权|生产厂商授权|生产商授权|品牌授权|品牌商授权|代理授权|授权代理|经销授权|授权经销|销售授权|原厂(?:售后)?(?:服务)?承诺|(?:厂家|厂商|制造商|制造厂|生产商|生产厂家|品牌方|品牌商|原厂)[^，,。；]{0,14}?授权|\bmanufacturer(?:'s|s'|s)? (?:[a-z]+ )?(?:authori[sz]ation|letter|authori[sz]ed)\b|\bmaf\b|\bauthori[sz]ation (?:letter |form |certificate )?(?:from|by|of|issued by) (?:the )?(?:(?:original|relevant|product|equipment) ){0,2}(?:manufacturer|oem|vendor|brand|maker|producer)\b|\b(?:oem|vendor|brand|factory) authori[sz]ation\b|\bauthori[sz]ed (?:dealer|distributor|reseller|agent|partner|representative|seller)s?\b|\b(?:dealership|distributorship|resellership)\b|\bletter of authori[sz]ation\b",
            ),
            None,
            Some(
                r"(?:如为|如是|若为|若是|如属|属于|对于|如果是)[^，,。；]{0,6}?进口|进口(?:产品|货物|设备)(?:须|应|需|的?应|的?须)|\b(?:if|where|for|when) (?:the )?(?:goods|products|equipment|items?) (?:are|is) imported\b|\bfor imported (?:goods|products|equipment)\b",
            ),
        ),
        // R-BAR-03: commercial use of a product.
        p(
            CommercialUse,
            r"成功案例|应用案例|用户案例|典型案例|商用案例|装机案例|上线案例|运行案例|部署案例|实施案例|案例|用户使用证明|使用证明|用户使用报告|使用报告|用户报告|商业化应用|商业应用|(?:生产环境|实际环境|用户环境|运行环境|市场上?|实际项目)[^，,。；]{0,14}?(?:运行|使用|应用|部署)|用户(?:单位)?(?:使用)?证明|商业化运行|商业运行|商业化使用|商业使用|商用|商业化运营|商业运营|商业业绩|市场应用|装机量|装机数量|投入商业|成熟应用|\breference (?:sites?|customers?|clients?|installations?|deployments?|projects?|users?|accounts?)\b|\bcommercial(?:ly)? (?:deployments?|use|usage|operation|operations|proven|installations?|track record|references?|clients?|customers?|success|roll[- ]?outs?)\b|\bproven in (?:commercial|production|the market|use|service)\b|\b(?:market|field|commercially)[- ]proven\b|\binstalled base\b|\binstallations\b|\bdeployments\b|\bin production (?:use|at|with)\b|\bsuccess(?:ful)? (?:cases?|stories|deployments?|installations?)\b|\bcase stud(?:y|ies)\b|\bcustomer (?:cases?|references?|sites?)\b|\buser (?:certificates?|reports?|testimonials?)\b|\bcertificates? of (?:use|satisfactory use)\b|\blive (?:sites?|deployments?|customers?)\b",
        ),
        // R-BAR-02: track record.
        with(
            p(
                TrackRecord,
                r"中标通知书|中标公告|成交通知书|成交公告|合同复印件|合同原件|合同扫描件|合同关键页|验收报告|验收证明|验收单|用户评价|客户评价|用户证明|客户证明|用户满意度|履约证明|履约评价|发票复印件|\b(?:award notices?|letters? of award|notices? of award|letters? of acceptance|acceptance certificates?|completion certificates?|client certificates?)\b",
            ),
            Some(PAST_OR_COUNT),
            None,
        ),
        with(
            p(
                TrackRecord,
                r"为[^，,。；]{1,12}?(?:提供|实施|承担|完成|建设|开发|服务)[^，,。；]{0,12}?经验",
            ),
            None,
            Some(STAFF),
        ),
        with(
            p(
                TrackRecord,
                r"项目经验|服务经验|实施经验|工程经验|行业经验|运维经验|供货经验",
            ),
            Some(PAST),
            Some(STAFF),
        ),
        p(
            TrackRecord,
            r"业绩|实绩|历年合同|以往合同|过往合同|累计合同(?:额|金额)|合同额累计|(?:已|曾)签订的?合同|\d{4}年以来[^，,。；]{0,8}?合同|\bpreviously (?:supplied|served|worked|delivered|provided|completed|performed)\b|类似案件|同类案件|类似项目|同类项目|相似项目|相同项目|类似工程|同类工程|相似工程|类似合同|同类合同|相似合同|类似服务|同类服务|相似服务|类似业务|同类业务|类似采购|同类采购|类似规模|同等规模|类似系统|同类系统|同类产品供货|类似货物|同类货物|(?:完成|承接|承担|实施|参与|做|服务|执行|履行)过|曾(?:经)?(?:为|承担|完成|承接|实施|服务|参与|负责)|\btrack[- ]?records?\b|\bpast performance\b|\b(?:previous|past|prior|former|earlier|completed|executed|historical) (?:contracts?|projects?|work|works|experience|clients?|customers?|engagements?|assignments?|deliveries|jobs)\b|\b(?:similar|comparable) (?:[a-z-]+ ){1,4}(?:projects?|contracts?|services|assignments?|engagements?|deliveries|systems|jobs|schemes)\b|\b(?:similar|comparable|equivalent|analogous|related|like) (?:projects?|contracts?|work|works|services?|assignments?|engagements?|scope|experience|deliveries|systems|jobs|undertakings|schemes)\b|\b(?:projects?|contracts?|work|works|assignments?) of (?:a )?(?:similar|comparable|equivalent|the same) (?:nature|size|scale|value|scope|type|kind|complexity|magnitude)\b|\b(?:previous|past|prior|former|copies of) (?:award notices?|letters? of award|notices? of award|letters? of acceptance|award letters?|award certificates?)\b|\b(?:client|customer|bank|trade|written|satisfactory|project|employer) references?\b|\breferences? (?:from|letters?|of (?:previous|past|similar|former))\b|\btestimonials?\b|推荐信|推荐函|\brecommendation letters?\b|\bletters? of recommendation\b|\bportfolio\b|\bha(?:ve|s|ving) (?:successfully )?(?:completed|delivered|performed|executed|implemented|undertaken|carried out|done|built|supplied|run)\b[^.;]{0,48}?\b(?:projects?|contracts?|assignments?|engagements?|works|systems|schemes|jobs)\b|\b(?:proven|demonstrated|documented|verifiable|relevant) experience\b|\bexperience (?:in|with|of|on) (?:at least |a minimum of )?\d+\b|\bsuccessfully (?:completed|delivered|implemented|executed)\b",
        ),
        // R-BAR-02: awards and honours.
        p(
            Awards,
            r"\p{Han}奖(?:[^励金惩罚学券品]|$)|奖项|获奖|荣誉|表彰|嘉奖|鲁班奖|詹天佑奖|国优奖|优质工程奖|优秀工程|名牌产品|著名商标|驰名商标|知名品牌|守合同重信用|重合同守信用|诚信企业|先进单位|先进企业|示范企业|明星企业|百强|强企业|500强|称号|aaa|3a(?:级|信用)|资信等级|信用等级[^，,。；]{0,4}?(?:a|优)|高新技术企业|专精特新|瞪羚企业|独角兽|龙头企业|\bawards?(?: or| and|,) (?:honou?rs?|prizes?|distinctions|titles)\b|\b(?:industry|national|provincial|municipal|regional|quality|excellence|design|innovation|government|state|city|business|engineering|construction|sector|trade) (?:awards?|prizes?|honou?rs?|titles?)\b|\bhonou?rs\b|\bhonou?rary titles?\b|\bhonou?r (?:certificates?|from|granted|awarded|roll)\b|\bprizes?\b|\baward[- ]winning\b|\b(?:won|received|holds?|granted|obtained|recipient of|winner of)(?: an?| the| any)? (?:[a-z-]+ ){0,3}(?:awards?|honou?rs?|prizes?|accolades?)\b|\baccolades?\b|\baaa\b|\b(?:fortune|top) \d+\b|\bhigh[- ]tech enterprise\b|\bhigh (?:and|&) new[- ]tech(?:nology)? enterprise\b|\b(?:famous|well[- ]known) (?:brand|trademark)s?\b|\bcredit rating\b",
        ),
        // R-BAR-02: ownership.
        p(
            Shareholding,
            r"股权结构|股权比例|所有制|外资控股|国资控股|国有资本|国资委|控股股东|公营事业|公营|政府持股|公股|股票上市|上柜|挂牌公司|国有企业|国企|央企|中央企业|国有控股|国有独资|国有全资|上市公司|外资企业|外商投资企业|外商独资|民营企业|集体企业|股东背景|股东结构|股东构成|股东性质|企业性质|\bshareholding\b|\bshareholders?\b|\bownership (?:structure|type|form|status)\b|\bforms? of ownership\b|\bstate[- ]owned\b|\bstate[- ]controlled\b|\bgovernment[- ]owned\b|\bsoes?\b|\bpublicly[- ]listed\b|\blisted (?:company|companies|companies|firms?|on)\b|\bstock[- ]exchange[- ]listed\b|\bforeign[- ](?:invested|owned)\b|\bprivately[- ]owned\b|\bprivate[- ]owned\b|\bjoint[- ]venture status\b",
        ),
    ]
});
