//! Regions: the 31 provincial-level divisions of mainland China (GB/T 2260 codes). A tender's
//! region is written out in full ("浙江省杭州市") and must start with one of them, so "unknown
//! region" is caught and the public list can filter by province.

use crate::i18n::Lang;

#[derive(Debug, PartialEq, Eq)]
pub struct Province {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

macro_rules! provinces {
    ($($code:literal $zh:literal $en:literal),* $(,)?) => {
        pub const PROVINCES: &[Province] = &[$(Province { code: $code, zh: $zh, en: $en }),*];
    };
}

provinces!(
    "110000" "北京市" "Beijing",
    "120000" "天津市" "Tianjin",
    "130000" "河北省" "Hebei",
    "140000" "山西省" "Shanxi",
    "150000" "内蒙古自治区" "Inner Mongolia",
    "210000" "辽宁省" "Liaoning",
    "220000" "吉林省" "Jilin",
    "230000" "黑龙江省" "Heilongjiang",
    "310000" "上海市" "Shanghai",
    "320000" "江苏省" "Jiangsu",
    "330000" "浙江省" "Zhejiang",
    "340000" "安徽省" "Anhui",
    "350000" "福建省" "Fujian",
    "360000" "江西省" "Jiangxi",
    "370000" "山东省" "Shandong",
    "410000" "河南省" "Henan",
    "420000" "湖北省" "Hubei",
    "430000" "湖南省" "Hunan",
    "440000" "广东省" "Guangdong",
    "450000" "广西壮族自治区" "Guangxi",
    "460000" "海南省" "Hainan",
    "500000" "重庆市" "Chongqing",
    "510000" "四川省" "Sichuan",
    "520000" "贵州省" "Guizhou",
    "530000" "云南省" "Yunnan",
    "540000" "西藏自治区" "Tibet",
    "610000" "陕西省" "Shaanxi",
    "620000" "甘肃省" "Gansu",
    "630000" "青海省" "Qinghai",
    "640000" "宁夏回族自治区" "Ningxia",
    "650000" "新疆维吾尔自治区" "Xinjiang",
);

impl Province {
    pub fn by_code(code: &str) -> Option<&'static Province> {
        PROVINCES.iter().find(|p| p.code == code)
    }

    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::ZhCn => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The province a region lies in, by its leading name.
pub fn province_of(region: &str) -> Option<&'static Province> {
    let r = region.trim();
    PROVINCES.iter().find(|p| r.starts_with(p.zh))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_known_by_their_province() {
        assert_eq!(province_of("浙江省杭州市").unwrap().code, "330000");
        assert_eq!(province_of("北京市").unwrap().en, "Beijing");
        assert_eq!(
            province_of("新疆维吾尔自治区乌鲁木齐市").unwrap().code,
            "650000"
        );
        assert!(province_of("杭州市").is_none(), "the province comes first");
        assert!(province_of("Atlantis").is_none());
        assert_eq!(PROVINCES.len(), 31);
        assert_eq!(Province::by_code("440000").unwrap().zh, "广东省");
    }
}
