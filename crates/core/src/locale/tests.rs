use super::*;

fn pack(locales: &[&str]) -> Option<&'static str> {
    let locales: Vec<String> = locales.iter().map(|l| l.to_string()).collect();
    pack_for(&locales).map(|p| p.code)
}

#[test]
fn a_locale_names_its_pack() {
    for (locale, code) in [
        ("fr_FR.UTF-8", Some("fr-FR")),
        ("fr-FR", Some("fr-FR")),
        ("fr_BE.UTF-8", Some("fr-FR")),
        ("fr-CA", Some("fr-FR")),
        ("fr", Some("fr-FR")),
        ("de_AT.UTF-8@euro", Some("de-DE")),
        ("de_CH", Some("de-DE")),
        ("es_MX.UTF-8", Some("es-ES")),
        ("es-419", Some("es-ES")),
        ("pt_PT.UTF-8", Some("pt-BR")),
        ("pt-BR", Some("pt-BR")),
        ("nb_NO.UTF-8", Some("no-NO")),
        ("nn", Some("no-NO")),
        ("no", Some("no-NO")),
        ("zh_TW.UTF-8", Some("zh-TW")),
        ("zh_HK", Some("zh-TW")),
        ("zh-Hant", Some("zh-TW")),
        ("zh-Hant-TW", Some("zh-TW")),
        ("zh", Some("zh-CN")),
        ("zh_CN.UTF-8", Some("zh-CN")),
        ("zh-Hans", Some("zh-CN")),
        ("zh-Hans-CN", Some("zh-CN")),
        ("zh_SG", Some("zh-CN")),
        ("ja_JP.eucJP", Some("ja-JP")),
        ("ko-KR", Some("ko-KR")),
        ("ar_EG.UTF-8", Some("ar-SA")),
        ("he_IL", Some("he-IL")),
        ("iw_IL", Some("he-IL")),
        ("id_ID", Some("id-ID")),
        ("uk_UA.UTF-8", Some("uk-UA")),
        ("ru", Some("ru-RU")),
        ("hy-AM", Some("hy-AM")),
        ("vi_VN", Some("vi-VN")),
        ("ca_ES@valencia", Some("ca-ES")),
        ("C", None),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("en_US.UTF-8", None),
        ("en-GB", None),
        ("en", None),
        ("", None),
        // No pack for Swedish or Klingon: English.
        ("sv_SE.UTF-8", None),
        ("tlh", None),
    ] {
        assert_eq!(pack(&[locale]), code, "{locale:?}");
    }
}

#[test]
fn the_first_language_with_meaning_decides() {
    // A language without a pack is passed over.
    assert_eq!(pack(&["sv_SE", "fr_FR"]), Some("fr-FR"));
    assert_eq!(pack(&["sv", "da", "en"]), Some("da-DK"));
    // English first: English, whatever comes after.
    assert_eq!(pack(&["en-US", "fr-FR"]), None);
    assert_eq!(pack(&["sv", "en_GB", "de"]), None);
    // English after the first pack changes nothing.
    assert_eq!(pack(&["ja-JP", "en-US"]), Some("ja-JP"));
    assert_eq!(pack(&[]), None);
}

#[test]
fn a_pack_is_named_for_pypi_jupyterlab_and_its_dist_info() {
    let fr = Pack::by_code("fr_fr").unwrap();
    assert_eq!(fr.code, "fr-FR");
    assert_eq!(fr.name, "Français");
    assert_eq!(fr.locale(), "fr_FR");
    assert_eq!(fr.package(), "jupyterlab-language-pack-fr-FR");
    assert_eq!(fr.dist_info_prefix(), "jupyterlab_language_pack_fr_fr-");
    assert_eq!(PACKS.len(), 29);
    assert!(Pack::by_code("en-US").is_none());
    // Every pack's code is xx-XX and every name its own.
    for p in PACKS {
        let (lang, region) = p.code.split_once('-').unwrap();
        assert!(lang.len() == 2 && region.len() == 2, "{}", p.code);
        assert_eq!(pack(&[p.code]), Some(p.code), "a pack's own code finds it");
        assert!(!p.name.is_empty());
    }
}

#[test]
fn the_environment_is_read_as_gettext_does() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        from_env(move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    };
    assert_eq!(env(&[("LANG", "fr_FR.UTF-8")]), ["fr_FR.UTF-8"]);
    assert_eq!(
        env(&[("LANG", "fr_FR.UTF-8"), ("LC_ALL", "de_DE.UTF-8")]),
        ["de_DE.UTF-8"]
    );
    assert_eq!(
        env(&[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "it_IT.UTF-8")]),
        ["it_IT.UTF-8"]
    );
    assert_eq!(
        env(&[("LANGUAGE", "sv:fr"), ("LANG", "sv_SE.UTF-8")]),
        ["sv", "fr", "sv_SE.UTF-8"]
    );
    // LANGUAGE is ignored under the C locale; an empty variable counts as unset.
    assert_eq!(env(&[("LANGUAGE", "fr"), ("LC_ALL", "C")]), ["C"]);
    assert_eq!(
        env(&[("LC_ALL", ""), ("LANG", "ja_JP.UTF-8")]),
        ["ja_JP.UTF-8"]
    );
    assert!(env(&[]).is_empty());
}

#[test]
fn the_setting_reads_writes_and_resolves() {
    let fr = vec!["fr_FR.UTF-8".to_string()];
    assert_eq!(Language::default(), Language::Auto);
    assert_eq!(Language::Auto.effective(&fr).map(|p| p.code), Some("fr-FR"));
    assert_eq!(Language::English.effective(&fr), None);
    let de = Language::parse("de_de").unwrap();
    assert_eq!(de, Language::Pack("de-DE".into()));
    assert_eq!(de.effective(&fr).map(|p| p.code), Some("de-DE"));
    assert_eq!(Language::parse("English"), Some(Language::English));
    assert_eq!(Language::parse("klingon"), None);
    for (json, language) in [
        ("\"auto\"", Language::Auto),
        ("\"en\"", Language::English),
        ("\"fr-FR\"", Language::Pack("fr-FR".into())),
        // Unknown (a newer Darwinix's pack, a typo): the default, so the file still loads.
        ("\"xx-YY\"", Language::Auto),
    ] {
        let read: Language = serde_json::from_str(json).unwrap();
        assert_eq!(read, language, "{json}");
    }
    assert_eq!(
        serde_json::to_string(&Language::Pack("ja-JP".into())).unwrap(),
        "\"ja-JP\""
    );
}

#[test]
fn the_window_gets_every_choice_and_the_computers_own() {
    let fr = vec!["fr_FR.UTF-8".to_string()];
    let auto = LanguageChoices::new(&Language::Auto, &fr);
    assert_eq!(auto.chosen, "auto");
    assert_eq!(auto.detected.name, "Français");
    assert_eq!(auto.effective, "fr-FR");
    assert_eq!(auto.options.len(), 30);
    assert_eq!(auto.options[0].code, "en");
    let english = LanguageChoices::new(&Language::English, &fr);
    assert_eq!(
        (english.chosen.as_str(), english.effective.as_str()),
        ("en", "en")
    );
    let none = LanguageChoices::new(&Language::Auto, &[]);
    assert_eq!(none.detected.code, "en");
}
