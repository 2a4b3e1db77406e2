/**
* plotly.js v4.1.1, partial bundle (bar, scatter, heatmap, funnel; zh-CN)
* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license
*/
import{W as a}from"./plotly-core.js?v=f938ceb5f4f7";export{a as default};
