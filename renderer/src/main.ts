import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { pickBackend } from './backend/pick-backend';
import { provideBackend } from './backend/workbench-backend';
import { useDesktopMenu } from './composables/use-desktop-menu';
import './styles.css';

provideBackend(pickBackend(window));
createApp(App).use(createPinia()).mount('#app');
useDesktopMenu();
