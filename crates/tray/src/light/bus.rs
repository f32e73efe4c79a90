//! The single-instance name on the session bus, the same one the app's plugin holds: a second
//! launch of the app finds it and hands its arguments over instead of starting.

use darwinix_tray::handoff::{BUS_NAME, BUS_PATH};
use zbus::blocking::{connection, Connection};

/// A second launch: its arguments and folder.
pub type Handover = (Vec<String>, String);

struct Instance {
    main: gtk::glib::MainContext,
    on_launch: fn(Handover),
}

#[zbus::interface(name = "org.SingleInstance.DBus")]
impl Instance {
    fn execute_callback(&mut self, argv: Vec<String>, cwd: String) {
        let on_launch = self.on_launch;
        self.main.invoke(move || on_launch((argv, cwd)));
    }
}

/// Takes the name. `Ok(None)`: another Darwinix holds it (the app with its window).
pub fn claim(on_launch: fn(Handover)) -> zbus::Result<Option<Connection>> {
    let instance = Instance {
        main: gtk::glib::MainContext::default(),
        on_launch,
    };
    match connection::Builder::session()?
        .name(BUS_NAME)?
        .replace_existing_names(false)
        .allow_name_replacements(false)
        .serve_at(BUS_PATH, instance)?
        .build()
    {
        Ok(conn) => Ok(Some(conn)),
        Err(zbus::Error::NameTaken) => Ok(None),
        Err(err) => Err(err),
    }
}

/// Lets the name go before the app takes over, so that it finds it free.
pub fn release(conn: &Connection) {
    if let Ok(name) = zbus::names::WellKnownName::try_from(BUS_NAME) {
        let _ = conn.release_name(name);
    }
}
