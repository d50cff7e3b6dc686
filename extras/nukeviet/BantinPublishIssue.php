<?php

/**
 * bantin → NukeViet: Remote API class that creates or updates one "news" article per bulletin issue,
 * with the issue PDF attached and the cover as the article image.
 *
 * Install: copy this file to modules/news/Api/BantinPublishIssue.php (for a module cloned from "news",
 * use that module's folder and change the namespace's module part to it). See README.md.
 *
 * Called by bantin through api.php (which has already checked apikey/timestamp/hashsecret, the module
 * and the credential's role) with multipart form fields:
 *   issue_key, remote_id, title, description, bodyhtml, number, year, issue_date, pages, pdf_sha256
 *   files: pdf (application/pdf), cover (image/jpeg)
 * Answers the usual envelope {status, code, message} plus {id, link}.
 * Re-publishing the same issue (same remote_id or issue_key) updates the article instead of adding one.
 */

namespace NukeViet\Module\news\Api;

use NukeViet\Api\Api;
use NukeViet\Api\ApiResult;
use NukeViet\Api\IApi;
use PDO;

if (!defined('NV_ADMIN') or !defined('NV_MAINFILE')) {
    exit('Stop!!!');
}

class BantinPublishIssue implements IApi
{
    /** The news category (catid) bulletin issues go to. CHANGE to the "Bản tin" category of your site. */
    const CATID = 1;
    /** 1 = published at once, 0 = waits for an editor of the portal to approve. */
    const STATUS = 1;
    const ERROR_BAD_INPUT = '1001';

    private $result;

    public static function getAdminLev()
    {
        return Api::ADMIN_LEV_MOD;
    }

    public static function getCat()
    {
        return 'Bantin';
    }

    public function setResultHander(ApiResult $result)
    {
        $this->result = $result;
    }

    public function execute()
    {
        global $db, $nv_Request;

        $module_name = Api::getModuleName();
        $module_info = Api::getModuleInfo();
        $module_data = $module_info['module_data'];
        $module_upload = $module_info['module_upload'];
        $table = NV_PREFIXLANG . '_' . $module_data;

        $issue_key = $nv_Request->get_title('issue_key', 'post', '');
        $title = $nv_Request->get_title('title', 'post', '');
        $description = $nv_Request->get_textarea('description', '', NV_ALLOWED_HTML_TAGS);
        $bodyhtml = $nv_Request->get_editor('bodyhtml', '', NV_ALLOWED_HTML_TAGS);
        $remote_id = $nv_Request->get_int('remote_id', 'post', 0);
        if (!preg_match('/^bantin-[0-9]{4}-[0-9]{2}(-v[0-9]+)?$/', $issue_key) or $title === '') {
            return $this->fail('issue_key and title are required');
        }
        if (empty($_FILES['pdf']) or $_FILES['pdf']['error'] !== UPLOAD_ERR_OK) {
            return $this->fail('the pdf file is missing (check upload_max_filesize / post_max_size in php.ini)');
        }
        if (file_get_contents($_FILES['pdf']['tmp_name'], false, null, 0, 5) !== '%PDF-') {
            return $this->fail('the pdf file is not a PDF');
        }

        // One folder per issue under the module's uploads; same names each time, so a re-publish replaces them.
        $rel_dir = $module_upload . '/bantin/' . $issue_key;
        $abs_dir = NV_UPLOADS_REAL_DIR . '/' . $rel_dir;
        if (!is_dir($abs_dir) and !mkdir($abs_dir, 0755, true)) {
            return $this->fail('cannot create ' . NV_UPLOADS_DIR . '/' . $rel_dir, ApiResult::CODE_SYS_ERROR);
        }
        $pdf_name = $issue_key . '.pdf';
        move_uploaded_file($_FILES['pdf']['tmp_name'], $abs_dir . '/' . $pdf_name);
        $cover_name = '';
        if (!empty($_FILES['cover']) and $_FILES['cover']['error'] === UPLOAD_ERR_OK and @getimagesize($_FILES['cover']['tmp_name']) !== false) {
            $cover_name = $issue_key . '-bia.jpg';
            move_uploaded_file($_FILES['cover']['tmp_name'], $abs_dir . '/' . $cover_name);
        }

        $db->query('CREATE TABLE IF NOT EXISTS ' . $table . '_bantin (
            issue_key VARCHAR(40) NOT NULL, news_id INT(11) UNSIGNED NOT NULL, pdf_sha256 CHAR(64) NOT NULL DEFAULT \'\',
            updated INT(11) UNSIGNED NOT NULL DEFAULT 0, PRIMARY KEY (issue_key)) ENGINE=InnoDB');

        // The id bantin remembers wins; else the issue key (bantin lost its record); else a new article.
        $id = 0;
        if ($remote_id > 0 and $db->query('SELECT COUNT(*) FROM ' . $table . '_rows WHERE id=' . $remote_id)->fetchColumn()) {
            $id = $remote_id;
        } else {
            $sth = $db->prepare('SELECT news_id FROM ' . $table . '_bantin WHERE issue_key=:k');
            $sth->execute([':k' => $issue_key]);
            $found = (int) $sth->fetchColumn();
            if ($found and $db->query('SELECT COUNT(*) FROM ' . $table . '_rows WHERE id=' . $found)->fetchColumn()) {
                $id = $found;
            }
        }

        $alias = change_alias($title);
        $now = NV_CURRENTTIME;
        $row = [
            ':catid' => self::CATID,
            ':listcatid' => (string) self::CATID,
            ':admin_id' => Api::getAdminId(),
            ':title' => $title,
            ':alias' => $alias,
            ':hometext' => $description,
            ':homeimgfile' => $cover_name === '' ? '' : 'bantin/' . $issue_key . '/' . $cover_name,
            ':homeimgalt' => $title,
            ':status' => self::STATUS,
            ':now' => $now,
        ];
        $files = 'bantin/' . $issue_key . '/' . $pdf_name;

        $db->beginTransaction();
        try {
            if ($id) {
                $sql = 'UPDATE %s SET catid=:catid, listcatid=:listcatid, admin_id=:admin_id, title=:title, alias=:alias, hometext=:hometext,
                    homeimgfile=:homeimgfile, homeimgalt=:homeimgalt, homeimgthumb=3, status=:status, edittime=:now WHERE id=' . $id;
                foreach ([$table . '_rows', $table . '_' . self::CATID] as $t) {
                    $db->prepare(sprintf($sql, $t))->execute($row);
                }
                $sth = $db->prepare('UPDATE ' . $table . '_detail SET titlesite=:title, description=:description, bodyhtml=:bodyhtml, files=:files WHERE id=' . $id);
                $sth->execute([':title' => $title, ':description' => $description, ':bodyhtml' => $bodyhtml, ':files' => $files]);
            } else {
                $sql = 'INSERT INTO ' . $table . '_rows (catid, listcatid, topicid, admin_id, author, sourceid, addtime, edittime, status, weight, publtime, exptime, archive,
                    title, alias, hometext, homeimgfile, homeimgalt, homeimgthumb, inhome, allowed_comm, allowed_rating, external_link, hitstotal, hitscm, total_rating, click_rating)
                    VALUES (:catid, :listcatid, 0, :admin_id, \'\', 0, :now, :now, :status, 0, :now, 0, 0,
                    :title, :alias, :hometext, :homeimgfile, :homeimgalt, 3, 1, \'4\', 0, 0, 0, 0, 0, 0)';
                $db->prepare($sql)->execute($row);
                $id = (int) $db->lastInsertId();
                // The article URL is <category alias>/<alias>-<id>, so the alias itself carries no id.
                $db->query('UPDATE ' . $table . '_rows SET weight=' . $id . ' WHERE id=' . $id);
                // NukeViet keeps a copy of each row in the table of its category.
                $db->query('INSERT INTO ' . $table . '_' . self::CATID . ' SELECT * FROM ' . $table . '_rows WHERE id=' . $id);
                $sth = $db->prepare('INSERT INTO ' . $table . '_detail (id, titlesite, description, bodyhtml, keywords, sourcetext, files, imgposition, copyright, allowed_send, allowed_print, allowed_save)
                    VALUES (' . $id . ', :title, :description, :bodyhtml, \'\', \'\', :files, 1, 0, 1, 1, 1)');
                $sth->execute([':title' => $title, ':description' => $description, ':bodyhtml' => $bodyhtml, ':files' => $files]);
            }
            $sth = $db->prepare('REPLACE INTO ' . $table . '_bantin (issue_key, news_id, pdf_sha256, updated) VALUES (:k, :id, :sha, :now)');
            $sth->execute([':k' => $issue_key, ':id' => $id, ':sha' => $nv_Request->get_title('pdf_sha256', 'post', ''), ':now' => $now]);
            $db->commit();
        } catch (\PDOException $e) {
            $db->rollBack();
            trigger_error($e->getMessage());
            return $this->fail('database error while saving the article', ApiResult::CODE_SYS_ERROR);
        }

        $alias_row = $db->query('SELECT alias FROM ' . $table . '_rows WHERE id=' . $id)->fetchColumn();
        $cat_alias = $db->query('SELECT alias FROM ' . $table . '_cat WHERE catid=' . self::CATID)->fetchColumn();
        $link = urlRewriteWithDomain(NV_BASE_SITEURL . 'index.php?' . NV_LANG_VARIABLE . '=' . NV_LANG_DATA . '&' . NV_NAME_VARIABLE . '=' . $module_name . '&' . NV_OP_VARIABLE . '=' . $cat_alias . '/' . $alias_row . '-' . $id . $GLOBALS['global_config']['rewrite_exturl'], NV_MY_DOMAIN);

        $this->result->setSuccess()->setCode('0000')->setMessage($remote_id === $id ? 'updated' : 'saved')->set('id', $id)->set('link', $link);
        return $this->result->getResult();
    }

    private function fail($message, $code = self::ERROR_BAD_INPUT)
    {
        $this->result->setError()->setCode($code)->setMessage($message);
        return $this->result->getResult();
    }
}
