<?php
/** Test-only view of what the class stored: the news rows, their category copies and details. */
require __DIR__ . '/stubs.php';
header('Content-Type: application/json');
echo json_encode([
    'rows' => $db->query('SELECT id, title, alias, status, homeimgfile FROM nv4_vi_news_rows ORDER BY id')->fetchAll(PDO::FETCH_ASSOC),
    'catRows' => (int) $db->query('SELECT COUNT(*) FROM nv4_vi_news_1')->fetchColumn(),
    'details' => $db->query('SELECT id, files, bodyhtml FROM nv4_vi_news_detail ORDER BY id')->fetchAll(PDO::FETCH_ASSOC),
    'map' => $db->query('SELECT issue_key, news_id FROM nv4_vi_news_bantin')->fetchAll(PDO::FETCH_ASSOC),
]);
