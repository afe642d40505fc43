import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClientProvider } from '@tanstack/react-query';
import { getLang, LanguageProvider } from './shared/i18n.ts';
import { makeQueryClient } from './shared/query.ts';
import { PublicApp } from './features/reports/PublicApp.tsx';
import './features/reports/public.css';
import './features/reports/reports.css';
import './features/reports/public-pages.css';

/** The citizens' pages (`/phan-anh…`): their own entry, light for a cheap phone. */
document.documentElement.lang = getLang();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from phan-anh.html');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={makeQueryClient()}>
      <LanguageProvider>
        <PublicApp />
      </LanguageProvider>
    </QueryClientProvider>
  </StrictMode>,
);
