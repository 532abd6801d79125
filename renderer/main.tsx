/**
 * The renderer's composition root: picks the bridge (Electron's preload when `window.flowgate`
 * exists, else the WebSocket with the page's `?token=`), builds the stores over it and mounts
 * the workbench.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createElectronBridge } from './bridge/electron.ts';
import { browserPasskeys } from './bridge/passkeys.ts';
import type { Bridge } from './bridge/types.ts';
import { createWebSocketBridge } from './bridge/websocket.ts';
import { createTraceCache } from './db/traces.ts';
import { StoresContext } from './store/hooks.ts';
import { createStores } from './store/index.ts';
import { App } from './views/App.tsx';
import './styles/app.css';

function pickBridge(): Bridge {
  if (window.flowgate) return createElectronBridge(window.flowgate);
  const token = new URLSearchParams(window.location.search).get('token') ?? '';
  return createWebSocketBridge({ token });
}

const stores = createStores(pickBridge(), createTraceCache(), browserPasskeys());
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StoresContext.Provider value={stores}>
      <App />
    </StoresContext.Provider>
  </StrictMode>,
);
