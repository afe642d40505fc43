import './zod-config.ts'; // before any module that builds a schema
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getLang } from './i18n.ts';
import './styles.css';

document.documentElement.lang = getLang();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
