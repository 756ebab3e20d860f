// Hydrogen's whole app (login, room list, invites, timeline, composer, olm), mounted the way its own main.js
// does; the homeserver comes from the page's address (?hs=...), so one build serves every test homeserver.
import {Platform, createNavigation, createRouter, RootViewModel, FeatureSet} from "hydrogen-view-sdk";
import downloadSandboxPath from "hydrogen-view-sdk/download-sandbox.html?url";
import workerPath from "hydrogen-view-sdk/main.js?url";
import olmWasmPath from "@matrix-org/olm/olm.wasm?url";
import olmJsPath from "@matrix-org/olm/olm.js?url";
import olmLegacyJsPath from "@matrix-org/olm/olm_legacy.js?url";
import "hydrogen-view-sdk/theme-element-light.css";

const assetPaths = {
    downloadSandbox: downloadSandboxPath,
    worker: workerPath,
    olm: {wasm: olmWasmPath, legacyBundle: olmLegacyJsPath, wasmBundle: olmJsPath},
    serviceWorker: "sw.js",
};
const homeserver = new URLSearchParams(location.search).get("hs");
const platform = new Platform({
    container: document.getElementById("app"),
    assetPaths,
    config: {defaultHomeServer: homeserver},
    options: {development: false},
});
const navigation = createNavigation();
platform.setNavigation(navigation);
await platform.init();
const urlRouter = createRouter({navigation, history: platform.history});
urlRouter.attach();
const features = await FeatureSet.load(platform.settingsStorage);
const root = new RootViewModel({platform, navigation, urlRouter, features});
await root.load();
platform.createAndMountRootView(root);
window.hydrogenReady = true;
