use super::*;
use std::path::PathBuf;

const PYLOCK: &str = include_str!("../../../../tests/fixtures/pylock/numpy-pandas.pylock.toml");

#[test]
fn a_real_pylock_gives_the_download_and_the_biggest_packages() {
    let download = from_pylock(PYLOCK, &HashSet::new()).unwrap();
    // numpy + pandas + python-dateutil + tzdata + fonttools' larger wheel; the editable
    // project downloads nothing.
    assert_eq!(
        download.bytes,
        16_918_164 + 12_356_904 + 92_853 + 348_210 + 6_789_594
    );
    let names: Vec<&str> = download.biggest.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["numpy", "pandas", "fonttools", "tzdata", "python-dateutil"]
    );
    assert_eq!(
            download.sentence(),
            "This install downloads 34.8 MB (numpy 16.1 MB, pandas 11.8 MB, fonttools 6.5 MB, tzdata 340.0 KB, python-dateutil 90.7 KB)"
        );
}

#[test]
fn what_the_environment_has_at_that_version_is_not_downloaded_again() {
    let installed: HashSet<(String, String)> = [
        ("numpy".to_string(), "2.4.6".to_string()),
        // Another version of pandas: downloaded again.
        ("pandas".to_string(), "2.2.3".to_string()),
        ("python-dateutil".to_string(), "4.0.0".to_string()),
    ]
    .into();
    let download = from_pylock(PYLOCK, &installed).unwrap();
    assert_eq!(download.bytes, 12_356_904 + 348_210 + 6_789_594);
    assert_eq!(download.biggest[0].0, "pandas");
}

#[test]
fn a_package_without_wheels_downloads_its_sdist_and_a_lock_without_sizes_nothing() {
    let text = r#"
lock-version = "1.0"
[[packages]]
name = "box2d-py"
version = "2.3.8"
sdist = { url = "https://example.org/box2d-py-2.3.8.tar.gz", size = 374049 }
[[packages]]
name = "local"
version = "1.0"
wheels = [{ url = "file:///w/local-1.0-py3-none-any.whl" }]
"#;
    let download = from_pylock(text, &HashSet::new()).unwrap();
    assert_eq!(download.bytes, 374_049);
    assert_eq!(download.biggest, [("box2d-py".to_string(), 374_049)]);
    assert!(from_pylock("not [ toml", &HashSet::new()).is_err());
}

#[test]
fn more_packages_than_named_end_in_an_ellipsis() {
    let mut text = String::from("lock-version = \"1.0\"\n");
    for i in 1..=7 {
        text.push_str(&format!(
                "[[packages]]\nname = \"p{i}\"\nversion = \"1\"\nwheels = [{{ url = \"u\", size = {} }}]\n",
                i << 20
            ));
    }
    let download = from_pylock(&text, &HashSet::new()).unwrap();
    assert_eq!(download.biggest.len(), 5);
    assert!(
        download.sentence().ends_with("p3 3.0 MB, …)"),
        "{}",
        download.sentence()
    );
    assert_eq!(biggest_said(&[], 0), "");
}

fn limits() -> Limits {
    Limits {
        threshold: 1000,
        free: Some(1 << 40),
        ask: false,
        confirmed: None,
    }
}

fn download(bytes: u64) -> Download {
    Download {
        bytes,
        biggest: vec![("torch".into(), bytes)],
    }
}

fn judged(bytes: u64, limits: Limits) -> Result<Option<String>> {
    judge(
        &download(bytes),
        limits,
        &PathBuf::from("/p"),
        &PathBuf::from("/p/.venv"),
    )
}

#[test]
fn a_small_install_says_nothing_a_big_one_says_its_size_and_goes_on() {
    assert_eq!(judged(1000, limits()).unwrap(), None);
    let said = judged(1001, limits()).unwrap().unwrap();
    assert_eq!(said, "This install downloads 1001 B (torch 1001 B)");
}

#[test]
fn the_app_asks_until_the_user_said_yes_to_that_size() {
    let asking = Limits {
        ask: true,
        ..limits()
    };
    match judged(3 << 30, asking) {
        Err(Error::BigInstall { bytes, biggest, .. }) => {
            assert_eq!(bytes, 3 << 30);
            assert_eq!(biggest[0].0, "torch");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(judged(999, asking).unwrap(), None, "small: not asked");
    let said_yes = Limits {
        confirmed: Some(3 << 30),
        ..asking
    };
    assert!(judged(3 << 30, said_yes).unwrap().is_some());
    assert!(
        matches!(
            judged((3 << 30) + 1, said_yes),
            Err(Error::BigInstall { .. })
        ),
        "more than the user said yes to is asked again"
    );
}

#[test]
fn a_download_the_disk_cannot_hold_unpacked_stops_first() {
    let small_disk = Limits {
        free: Some(2999),
        ask: true,
        ..limits()
    };
    match judged(1000, small_disk) {
        Err(Error::NoRoomForInstall {
            download,
            needed,
            free,
            ..
        }) => assert_eq!((download, needed, free), (1000, 3000, 2999)),
        other => panic!("{other:?}"),
    }
    // Checked before asking: a yes would not make it fit.
    assert!(matches!(
        judged(5000, small_disk),
        Err(Error::NoRoomForInstall { .. })
    ));
    let unknown = Limits {
        free: None,
        ..small_disk
    };
    assert!(matches!(
        judged(5000, unknown),
        Err(Error::BigInstall { .. })
    ));
}

#[test]
fn the_threshold_is_a_gigabyte_unless_set() {
    assert_eq!(DEFAULT_THRESHOLD, 1 << 30);
    assert_eq!(human_bytes(DEFAULT_THRESHOLD), "1.0 GB");
}

#[test]
fn the_install_arguments_become_a_requirements_file() {
    let args = [
        "ipykernel",
        "-r",
        "/p/Mes carnets ü/requirements.txt",
        "-e",
        ".",
        "numpy>=2; python_version >= '3.10'",
        "-c",
        "/p/requirements.lock",
    ];
    let text = as_requirements(args.iter().map(OsStr::new)).unwrap();
    assert_eq!(
            text,
            "ipykernel\n-r /p/Mes carnets ü/requirements.txt\n-e .\nnumpy>=2; python_version >= '3.10'\n-c /p/requirements.lock\n"
        );
    assert!(as_requirements(["--group", "x"].iter().map(OsStr::new)).is_err());
    assert!(as_requirements(["-r"].iter().map(OsStr::new)).is_err());
}
